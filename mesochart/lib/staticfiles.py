"""Static files in production: hashed names, compressed copies, and the chart editor's
ES module imports rewritten to the hashed names too.

Django's manifest storage rewrites ``import … from "./x.js"`` only when asked
(``support_js_module_import_aggregation``, experimental since 4.2). Without it a page would
load the hashed ``chart-editor.<hash>.js`` and that file the unhashed ``chart/geometry.js``,
which whitenoise serves without the long cache lifetime and which a new release would change
under a page still open with the old editor. Only the app's own scripts are rewritten: a
package's module may import a name its build resolves (django-htmx's extensions import
``htmx``), which is no file here.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

OWN = "mesochart/"


class ProductionStaticFiles(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True

    def url_converter(self, name, hashed_files, template=None):
        converter = super().url_converter(name, hashed_files, template)
        is_module_statement = template is not None and (
            template.startswith("import") or template.startswith("export")
        )
        if is_module_statement and not name.startswith(OWN):
            return lambda match: match["matched"]
        return converter
