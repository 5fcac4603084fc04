"""The bearer token in the OpenAPI schema (the docs' "Authorize" button)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ClientTokenAuthentication"
    name = "clientToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The integrating system's token: tk_<key>_<secret>.",
        }
