"""`guichet backup` then `guichet restore` into an empty instance: every case and file."""

import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guichet.accounts.models import User
from guichet.engine.models import Attachment, Case
from guichet.privacy.models import DataProtectionOfficer
from tests import factories


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore__into_an_empty_instance_finds_every_case_and_file(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media-before")
    city = factories.authority("ville-a")
    procedure = factories.civil_status_procedure(city)
    resident = factories.resident(city)
    agent = factories.agent(city)
    DataProtectionOfficer.objects.create(authority=city, user=agent)
    cases = [factories.civil_status_case(procedure, resident) for _ in range(3)]
    before_cases = sorted(
        Case.objects.values_list("pk", "number", "status", "applicant__email", "data")
    )
    before_files = _files(Path(settings.MEDIA_ROOT))
    attachments = sorted(Attachment.objects.values_list("pk", "file", "size"))
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()

    call_command("backup", output=str(archive), stdout=out)
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = str(tmp_path / "media-after")  # an empty instance
    assert not Case.objects.exists()
    call_command("restore", str(archive), stdout=out)

    assert len(before_files) == len(attachments) == 6  # each case: its piece and its receipt
    assert (
        sorted(Case.objects.values_list("pk", "number", "status", "applicant__email", "data"))
        == before_cases
    )
    assert _files(Path(settings.MEDIA_ROOT)) == before_files
    for attachment in Attachment.objects.all():
        assert attachment.file.open("rb").read().startswith(b"%PDF")
    assert sorted(Attachment.objects.values_list("pk", "file", "size")) == attachments
    assert Case.objects.count() == len(cases)
    assert User.objects.get(email="agent@example.fr").check_password(factories.PASSWORD)
    assert DataProtectionOfficer.objects.get().user.email == "agent@example.fr"
    assert "Restored" in out.getvalue()


@pytest.mark.django_db
def test_restore__refuses_a_database_that_is_not_empty(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    factories.authority("ville-a")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(archive), "--no-migrate")


@pytest.mark.django_db(transaction=True)
def test_restore__never_writes_outside_the_media_folder(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(evil, "w:gz") as target:
        for member in source.getmembers():
            target.addfile(member, source.extractfile(member))
        payload = b"owned"
        info = tarfile.TarInfo("media/../../outside.txt")
        info.size = len(payload)
        target.addfile(info, io.BytesIO(payload))

    call_command("restore", str(evil), stdout=io.StringIO())

    assert not (tmp_path / "outside.txt").exists()
