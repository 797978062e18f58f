"""XLSForm (KoboToolbox / ODK) import and export of instrument definitions (FORMAT.md). Pure Python, no Flask.

`export_xlsform(data) -> bytes` writes a standard XLSForm plus what XLSForm cannot carry (scoring, flags,
citations) in extra columns and an extra `surveyapp` sheet that pyxform and KoboToolbox ignore, so that
`import_xlsform(export_xlsform(data)) == data`. `import_xlsform(content) -> dict` reads such a file, or a form
authored in Kobo as a draft, and raises `XLSFormError(problems)` listing everything it cannot represent.
"""

from surveyapp.instruments.xlsform_common import XLSFormError
from surveyapp.instruments.xlsform_export import export_xlsform
from surveyapp.instruments.xlsform_import import import_xlsform

__all__ = ["XLSFormError", "export_xlsform", "import_xlsform"]
