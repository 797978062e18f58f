from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired


class XLSFormUploadForm(FlaskForm):
    xlsform = FileField(
        _l("XLSForm file (.xlsx or .xls)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["xlsx", "xls"], _l("Choose an .xlsx or .xls file.")),
        ],
    )
