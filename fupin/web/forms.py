"""What every form of fupin's pages shares: Bootstrap classes on its widgets, and a service's
coded refusal shown on the fields it names (the code only in `data-error-code`, never the text)."""

from fupin.web.errors import error_text

WIDGET_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "checkbox": "form-check-input",
    "checkboxselectmultiple": "form-check-input",
    "radioselect": "form-check-input",
}


class ServiceErrorsMixin:
    """A form whose widgets carry Bootstrap's classes and that shows a service's refusal.

    ``add_service_error(error)`` puts each message of ``details["fields"]`` on its field (on the
    form when it has no such field) or, without fields, the message on the form; the fields in
    error are marked ``is-invalid``. ``error_code`` keeps the last code for the page.
    """

    # The code of the last service error, for the page's `data-error-code` (never in the text).
    error_code = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            kind = field.widget.__class__.__name__.lower().removesuffix("input")
            field.widget.attrs.setdefault("class", WIDGET_CLASSES.get(kind, "form-control"))

    def add_service_error(self, error) -> None:
        self.error_code = error.code
        fields = error.details.get("fields") if isinstance(error.details, dict) else None
        if fields:
            for name, message in fields.items():
                self.add_error(name if name in self.fields else None, str(message))
            return
        self.add_error(None, error_text(error))

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
