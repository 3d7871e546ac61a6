"""Letters in the browser: public verification, and the staff register with preview."""
from __future__ import annotations

import json

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

import letters
from workflows.archive.operations import preview_context
from workflows.archive.queries import export_letters, letter_register, verify as verify_letter
from workflows.core.errors import InvalidInput

from ..api.letters import pdf_response
from ..auth.identity import current_actor
from ..auth.guards import login_required_permission
from ..exports import csv_download, local_time
from ..runtime import get_runtime

bp = Blueprint("letters", __name__, url_prefix="/letters")
PAGE = 50
EXPORT_LIMIT = 50_000


@bp.get("/verify")
def verify():
    """Public: genuine or "未找到", without saying which of number and code was wrong."""
    number, code = request.args.get("no", "").strip(), request.args.get("code", "").strip()
    verdict = None
    if number and code:
        verdict = verify_letter(get_runtime().store, number, code)
    return render_template("letters/verify.html", number=number, code=code, verdict=verdict,
                           asked=bool(number or code))


@bp.get("/")
@login_required_permission("may_read_letters")
def register():
    text = request.args.get("q", "")
    found = letter_register(get_runtime().store, current_actor(), text, PAGE, request.args.get("before", type=int),
                            request.args.get("after", type=int))
    return render_template("letters/index.html", letters=found.page.items, names=found.names, types=letters.TYPES,
                           page=found.page, q=text)


@bp.get("/export.csv")
@login_required_permission("may_read_letters")
def export():
    """The register's filtered rows: number, title, addressee, case, date, issuing organ, officer."""
    found = export_letters(get_runtime().store, current_actor(), request.args.get("q", ""), EXPORT_LIMIT)
    header = [_("Letter number"), _("Title"), _("Addressed to"), _("Case"), _("Issued on"), _("Issued by"),
              _("Handled by")]

    def cells(letter):
        return [letter.number, letter.title, letter.subject_name, letter.case_id or "", local_time(letter.issued_at),
                letter.issuer_name, found.names.get(letter.issued_by, letter.issued_by)]
    return csv_download("letters", header, found.letters, cells)


@bp.route("/preview", methods=["GET", "POST"])
@login_required_permission("may_issue_letters")
def preview():
    """Template authors and staff check a letter's layout from JSON data before issuing."""
    letter_type = request.values.get("type") or next(iter(letters.TYPES))
    data = request.form.get("context") or _demo_json(letter_type)
    error = None
    if request.method == "POST":
        try:
            return _render_preview(letter_type, data)
        except InvalidInput as err:
            error = err
    return render_template("letters/preview.html", types=letters.TYPES, letter_type=letter_type,
                           data=data, error=error)


def _render_preview(letter_type: str, data: str):
    try:
        context = json.loads(data)
    except (json.JSONDecodeError, RecursionError) as err:  # RecursionError: nested thousands deep
        raise InvalidInput(_("The letter data is not valid JSON."), {"context": str(err)[:200]}) from None
    runtime = get_runtime()
    draft = _("(draft, not yet numbered)")
    context = preview_context(letter_type, context, runtime.clock.now(), runtime.settings.public_url, number=draft)
    context.update(number=draft, verification_code="PREVIEW", verify_url=runtime.settings.public_url)
    return pdf_response(letters.render(letter_type, context), "preview.pdf", inline=True)


def _demo_json(letter_type: str) -> str:
    if letter_type not in letters.TYPES:
        letter_type = next(iter(letters.TYPES))
    demo = {k: v for k, v in letters.demo_context(letter_type).items()
            if k not in ("number", "verification_code", "verify_url")}
    return json.dumps(demo, ensure_ascii=False, indent=2)
