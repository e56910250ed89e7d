"""Reading CSV and XLSX files whose header row is in Chinese or English.

Each import names its columns once as {canonical: [accepted headers]}; rows come back as
(line number, {canonical: text}, {original header: text}) so reports can cite the line and the
raw row is kept verbatim.
"""
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext

from core.errors import ApplicationError


@dataclass
class RowError:
    """A rejected row of an imported file, reported by its line number. `reason` is the whole text (Chinese and
    English, for commands and logs); a page shows `shown`, in the reader's language only."""

    line: int
    reason: str
    reason_zh: str = ""
    reason_en: str = ""

    @classmethod
    def of(cls, line: int, exc: Exception) -> "RowError":
        """The refusal of a row: an ApplicationError keeps its Chinese and English apart."""
        if isinstance(exc, ApplicationError):
            return cls(line, str(exc), exc.message, exc.message_en)
        return cls(line, str(exc))

    @classmethod
    def said(cls, line: int, zh: str, en: str) -> "RowError":
        return cls.of(line, ApplicationError(zh, en))

    @property
    def shown(self) -> str:
        """The reason in the reader's language."""
        if (translation.get_language() or "").startswith("en"):
            return self.reason_en or self.reason
        return self.reason_zh or self.reason

    @property
    def shown_line(self) -> str:
        return gettext("第%(line)s行：%(reason)s") % {"line": self.line, "reason": self.shown}

    def __str__(self):
        return f"第{self.line}行 / line {self.line}: {self.reason}"


def _norm(header) -> str:
    return str(header or "").strip().lstrip("\ufeff").strip().lower().replace(" ", "")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "hour") else value.strftime("%Y-%m-%d")
    return str(value).strip()


def _raw_rows(path: Path) -> Iterator[list]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ApplicationError(f"无法读取 Excel 文件：{exc}", f"Cannot read the Excel file: {exc}") from exc
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
        workbook.close()
    elif suffix in (".csv", ".txt"):
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ApplicationError("文件编码无法识别（请使用 UTF-8）", "Unknown file encoding (use UTF-8)")
        yield from csv.reader(text.splitlines(keepends=True))  # keep line breaks inside quoted cells
    else:
        raise ApplicationError(
            f"不支持的文件类型“{path.suffix}”，请使用 CSV 或 XLSX",
            f"Unsupported file type '{path.suffix}': use CSV or XLSX",
        )


def read_table(path, columns: dict[str, list[str]], required: list[str]) -> Iterator[tuple[int, dict, dict]]:
    path = Path(path)
    if not path.exists():
        raise ApplicationError(f"文件不存在：{path}", f"File not found: {path}")
    lookup = {}
    for canonical, names in columns.items():
        for name in [canonical, *names]:
            lookup[_norm(name)] = canonical
    rows = _raw_rows(path)
    header = None
    for header_row in rows:
        if any(_cell(c) for c in header_row):
            header = [_cell(c) for c in header_row]
            break
    if header is None:
        raise ApplicationError("文件为空，没有表头", "The file is empty: no header row")
    mapping = {index: lookup.get(_norm(name)) for index, name in enumerate(header)}
    found = {c for c in mapping.values() if c}
    missing = [c for c in required if c not in found]
    if missing:
        names = "、".join(f"{columns[c][0]}/{c}" for c in missing)
        raise ApplicationError(f"缺少必需的列：{names}", f"Missing required columns: {', '.join(missing)}")
    line = 1
    for values in rows:
        line += 1
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        row, raw = {}, {}
        for index, value in enumerate(cells):
            name = header[index] if index < len(header) else f"column{index + 1}"
            raw[name] = value
            canonical = mapping.get(index)
            if canonical and canonical not in row:
                row[canonical] = value
        yield line, row, raw
