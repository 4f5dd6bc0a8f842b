"""Forms of the registry pages: uploading a household or income file for import."""

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

ACCEPTED_SUFFIXES = (".csv", ".xlsx")
# A million-person CSV is about 150 MB; anything far beyond that is not a registry sheet.
MAX_UPLOAD_BYTES = 400 * 1024 * 1024


class ImportForm(forms.Form):
    """Which kind of sheet is uploaded, and the file itself."""

    HOUSEHOLDS = "households"
    INCOMES = "incomes"

    kind = forms.ChoiceField(
        label=_("导入内容"),
        initial=HOUSEHOLDS,
        widget=forms.RadioSelect,
        choices=[
            (HOUSEHOLDS, _("农户与家庭成员（每人一行）")),
            (INCOMES, _("家庭年度收入（每户每年一行）")),
        ],
    )
    file = forms.FileField(
        label=_("文件（CSV 或 XLSX）"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.suffix_of(upload) not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(_("只接受 CSV 或 XLSX 文件"), code="bad_file_type")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("文件过大，请分批导入或使用命令行导入"), code="file_too_large"
            )
        return upload

    @staticmethod
    def suffix_of(upload) -> str:
        """Return the lower-case suffix of an uploaded file's name."""
        return Path(upload.name or "").suffix.lower()
