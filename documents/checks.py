"""Say plainly, at start-up, what the machine lacks to print documents (PDF rendering
needs Pango; the bundled fonts must be in static/fonts/)."""

from django.conf import settings
from django.core.checks import Warning, register

PDF_FONT_FILES = ["Tinos-Regular.ttf", "Tinos-Bold.ttf", "Tinos-Italic.ttf", "Tinos-BoldItalic.ttf"]


@register()
def weasyprint_available(app_configs, **kwargs) -> list[Warning]:
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # Pango or its friends are missing
        return [
            Warning(
                "WeasyPrint cannot load its system libraries, so PDF documents cannot be made: "
                f"{error}",
                hint="Install Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
                "libharfbuzz-subset0 (Debian/Ubuntu), or see "
                "https://doc.courtbouillon.org/weasyprint/stable/first_steps.html",
                id="documents.W001",
            )
        ]
    return []


@register()
def bundled_fonts_present(app_configs, **kwargs) -> list[Warning]:
    missing = [
        name
        for name in PDF_FONT_FILES
        if not any((folder / "fonts" / name).exists() for folder in settings.STATICFILES_DIRS)
    ]
    if missing:
        return [
            Warning(
                f"Bundled document fonts are missing: {', '.join(missing)}.",
                hint="Restore static/fonts/ from the repository (Tinos, Debian fonts-croscore).",
                id="documents.W002",
            )
        ]
    return []
