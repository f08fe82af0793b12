"""Checking an uploaded evidence or document file: type by extension AND content, size.

A file is accepted only if its extension is one of PDF, Word (.docx), Excel (.xlsx), JPG or
PNG, its first bytes are those of that format (for .docx/.xlsx: a zip archive holding the
Word or Excel main part), and it is at most 10 MB. A report takes at most 10 files and 30 MB
together. Anything else raises a ``ValidationError`` whose message names the file (or says what
is wrong with the set) before anything is stored.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_REPORT_FILES = 10
MAX_REPORT_BYTES = 30 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    magic: bytes
    zip_part: str = ""  # for Office files: the part that a real document of that kind contains


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed :func:`check_upload`: its kind, and a name and size it surely has."""

    kind: FileKind
    name: str
    size: int


KINDS = {
    "pdf": FileKind("pdf", "application/pdf", b"%PDF-"),
    "docx": FileKind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP_MAGIC,
        "word/document.xml",
    ),
    "xlsx": FileKind(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP_MAGIC, "xl/workbook.xml"
    ),
    "jpg": FileKind("jpg", "image/jpeg", b"\xff\xd8\xff"),
    "jpeg": FileKind("jpeg", "image/jpeg", b"\xff\xd8\xff"),
    "png": FileKind("png", "image/png", b"\x89PNG\r\n\x1a\n"),
}


def check_upload(uploaded: UploadedFile) -> CheckedUpload:
    """Return the file's kind, name and size, or raise a ``ValidationError`` with a message for the user."""
    name = PurePath(uploaded.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    kind = KINDS.get(extension)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type. Accepted: PDF, Word (.docx), Excel (.xlsx), JPG and PNG.")
            % {"name": name},
            code="file_type",
        )
    if not uploaded.size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="file_empty")
    if uploaded.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB.") % {"name": name, "limit": MAX_FILE_BYTES // (1024 * 1024)},
            code="file_size",
        )
    mismatch = ValidationError(
        _("The content of “%(name)s” is not a real .%(extension)s file. Save it again in that format and retry.")
        % {"name": name, "extension": extension},
        code="file_content",
    )
    uploaded.seek(0)
    head = uploaded.read(len(kind.magic))
    uploaded.seek(0)
    if head != kind.magic:
        raise mismatch
    if kind.zip_part:
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise mismatch from error
        finally:
            uploaded.seek(0)
        if kind.zip_part not in names:
            raise mismatch
    # A name with an accepted extension was checked above, so ``uploaded.name`` is not empty.
    return CheckedUpload(kind=kind, name=uploaded.name or name, size=uploaded.size)


def check_report_files(uploads: Sequence[UploadedFile]) -> list[ValidationError]:
    """What is wrong with a report's evidence: each file (:func:`check_upload`), then the set."""
    errors: list[ValidationError] = []
    for uploaded in uploads:
        try:
            check_upload(uploaded)
        except ValidationError as error:
            errors.append(error)
    if len(uploads) > MAX_REPORT_FILES:
        errors.append(
            ValidationError(
                _("A report takes at most %(limit)s files; %(count)s were chosen.")
                % {"limit": MAX_REPORT_FILES, "count": len(uploads)},
                code="too_many_files",
            )
        )
    total = sum(uploaded.size or 0 for uploaded in uploads)
    if total > MAX_REPORT_BYTES:
        errors.append(
            ValidationError(
                _("The files of a report may add up to %(limit)s MB; these add up to %(total)s MB.")
                % {"limit": MAX_REPORT_BYTES // (1024 * 1024), "total": f"{total / (1024 * 1024):.1f}"},
                code="files_total_size",
            )
        )
    return errors
