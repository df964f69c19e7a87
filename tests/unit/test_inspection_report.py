"""The inspection report PDF (巡检报告): catalog labels in zh and en, the checklist, hostile
text kept intact, a page that is drawn (rendered to an image and looked at)."""

from __future__ import annotations

import io
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pypdfium2
import pytest

from bot.clock import FakeClock
from bot.config import Settings, load_settings
from bot.domain.contract import CheckItem, ContractTask, TaskResult
from bot.telegram.render.tasks import inspection_typesetter
from tests.support.configs import hotline_config

HOSTILE = "<b>bold</b> &amp; <script>x</script> *_[]()~`>#+-=|{}.! مرحبا a\u200bb 👩‍🔧🔥"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "hotline.toml").write_text(hotline_config(), encoding="utf-8")
    return load_settings(tmp_path / "hotline.toml")


def recorded() -> tuple[ContractTask, TaskResult]:
    task = ContractTask(12, "village:final_inspection:2027-09-30", "village",
                        "final_inspection", date(2027, 9, 30), 1, "eng1", "done")
    result = TaskResult(
        12, task.key, "village", "final_inspection", task.due,
        "2027-09-29T06:30:00+00:00", 1001, "Engineer One",
        (CheckItem("hardware", True, ""), CheckItem("software", False, HOSTILE * 3),
         CheckItem("risk", True, "机房温度偏高，建议加装空调")),
        findings="更换 UPS 电池；" + HOSTILE + "\n" + "长期运行稳定。" * 200,
    )  # fmt: skip
    return task, result


def text_of(data: bytes) -> str:
    """The text of every page without its layout's spaces and page numbers ("1 / 2")."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [re.sub(r"\n\d+ / \d+$", "", p.extract_text()) for p in reader.pages]
    return re.sub(r"\s+", "", "".join(pages))


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("zh", ("巡检报告", "期末全面巡检#12", "巡检工程师", "硬件检查", "软件检查", "风险分析",
                "正常", "有问题", "巡检结论与建议", "记录内容SHA-256")),
        ("en", ("Inspectionreport", "Finalinspection#12", "Engineer", "Hardwarecheck",
                "Softwarecheck", "Riskanalysis", "OK", "Problem", "Findingsandrecommendations",
                "SHA-256oftherecord")),
    ],
)
def test_the_report_has_the_catalog_labels_and_every_answer(
    settings: Settings, lang: str, labels: tuple[str, ...], tmp_path: Path
) -> None:
    typeset = inspection_typesetter(settings, FakeClock(datetime(2027, 9, 29, tzinfo=UTC)))
    task, result = recorded()
    data = typeset(task, result, lang)
    text = text_of(data)
    for label in labels:
        assert label in text, label
    for value in ("EngineerOne", "2027-09-30", "2027-09-2914:30", "机房温度偏高",
                  "<b>bold</b>&amp;<script>x</script>", "*_[]()~`>#+-=|{}.!", "🔥",
                  result.sha256):
        assert value in text, value
    assert text.count("长期运行稳定。") == 200  # long findings flow onto the next page, whole
    pdf = pypdfium2.PdfDocument(data)
    assert len(pdf) >= 2
    image = pdf[0].render(scale=1.5).to_pil().convert("L")
    pdf.close()
    width, height = image.size
    dark = sum(image.histogram()[:128])
    assert dark > 0.005 * width * height, dark  # text was drawn, not a white page
    if os.environ.get("HOTLINE_SAVE_PNG"):  # to look at it: the lead did, see the README notes
        image.save(Path(os.environ["HOTLINE_SAVE_PNG"]) / f"inspection-{lang}.png")
