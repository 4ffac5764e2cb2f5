from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from loa.core.forms import DayField, day_formfield
from loa.directives.models import Directive, LinkKind
from loa.units.forms import UnitTreeChoiceField

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("Text, DOCX or PDF with a text layer."))
    unit = forms.TypedChoiceField(label=_("Registered by"), coerce=int)

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."), code="too_large")
        return upload


class DirectiveForm(forms.ModelForm[Directive]):
    class Meta:
        model = Directive
        fields = ["symbol", "doc_type", "issuer_code", "issuer_name", "date", "signer", "signer_position", "title"]
        widgets = {"title": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = day_formfield


class ItemForm(forms.Form):
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    number = forms.CharField(label=_("Item"), max_length=10, required=False)
    text = forms.CharField(label=_("Task"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    bodies = forms.CharField(label=_("Addressed to"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    delete = forms.BooleanField(label=_("Remove"), required=False)


ItemFormSet = forms.formset_factory(ItemForm, extra=2, max_num=60)


class AssignForm(forms.Form):
    units = UnitTreeChoiceField(label=_("Units"))
    deadline = DayField(label=_("Deadline"), required=False)


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))


class LinkForm(forms.Form):
    # No kind is preselected: a relation sent as it comes would record "replaces" by accident.
    kind = forms.ChoiceField(label=_("Relation"), choices=[("", _("— choose the relation —")), *LinkKind.choices])
    target = forms.TypedChoiceField(label=_("Document"), coerce=int)
