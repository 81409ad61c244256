"""Backups of a whole instance: the database as portable JSON (SQLite or PostgreSQL,
either way) and every uploaded or generated file, in one .tar.gz with a manifest that
the restore checks."""

import io
import json
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

FORMAT = 1
# Rebuilt by migrations, transient, or sessions: not worth keeping.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "django_tasks_database",
    "axes",
]


class BackupError(Exception):
    pass


def _counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label in EXCLUDED or label.lower() in EXCLUDED:
            continue
        counts[label] = model._default_manager.count()
    return counts


def backup_write(destination: Path) -> dict[str, Any]:
    """Writes the archive; returns its manifest."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "data.json"
        call_command(
            "dumpdata",
            *[f"--exclude={label}" for label in EXCLUDED],
            natural_foreign=True,
            output=str(dump),
            verbosity=0,
        )
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "rows": _counts(),
            "files": [p.relative_to(media).as_posix() for p in files],
        }
        destination.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(destination, "w:gz") as archive:
            payload = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
            archive.add(dump, arcname="data.json")
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media).as_posix()}")
    return manifest


def _database_is_empty() -> bool:
    from guichet.accounts.models import User
    from guichet.tenants.models import Authority

    return not Authority.objects.exists() and not User.objects.exists()


def _safe_member(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] != "media":
        return None
    return PurePosixPath(*path.parts[1:])


def backup_restore(source: Path) -> dict[str, Any]:
    """Restores an archive into an empty, migrated instance; checks the manifest."""
    if not _database_is_empty():
        raise BackupError("The database is not empty: restore into a fresh instance.")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(source, "r:gz") as archive, tempfile.TemporaryDirectory() as work:
        manifest_file = archive.extractfile("manifest.json")
        if manifest_file is None:
            raise BackupError("No manifest in this archive.")
        manifest = json.load(manifest_file)
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        data_file = archive.extractfile("data.json")
        if data_file is None:
            raise BackupError("No data in this archive.")
        dump = Path(work) / "data.json"
        dump.write_bytes(data_file.read())
        if json.loads(dump.read_bytes()):
            call_command("loaddata", str(dump), verbosity=0)
        for member in archive.getmembers():
            relative = _safe_member(member.name)
            if relative is None or not member.isfile():
                continue
            target = media / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            extracted = archive.extractfile(member)
            if extracted is not None:
                target.write_bytes(extracted.read())
    rows = _counts()
    missing_rows = {
        label: (count, rows.get(label, 0))
        for label, count in manifest["rows"].items()
        if rows.get(label, 0) != count
    }
    missing_files = [name for name in manifest["files"] if not (media / name).is_file()]
    if missing_rows or missing_files:
        raise BackupError(f"Restore incomplete: rows {missing_rows}, files {missing_files[:10]}")
    return manifest
