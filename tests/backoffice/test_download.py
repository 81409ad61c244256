import io
import zipfile

from pypdf import PdfReader

from guichet.core.models import AuditEvent


def test_download__zip_holds_the_summary_and_every_document(agent_client, filed_case, agent):
    response = agent_client.get(f"/agents/dossiers/{filed_case.pk}/dossier.zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"dossier-{filed_case.number}.pdf", "pieces/piece.pdf"]
    summary = PdfReader(io.BytesIO(archive.read(f"dossier-{filed_case.number}.pdf")))
    text = "".join(page.extract_text() for page in summary.pages)
    assert f"Dossier {filed_case.number}" in text
    assert "Acte de naissance" in text
    event = AuditEvent.objects.get(action=AuditEvent.Action.CASE_DOWNLOADED)
    assert (event.actor, event.object_id) == (agent, str(filed_case.pk))
