// The API's browsable docs: Swagger UI over the schema named in data-schema-url.
// Loaded from a file (the Content-Security-Policy allows no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("swagger-ui");
  if (!holder || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: holder.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
