"""Importers for every kind of file with figures per municipality: SSB's JSON-stat answers (v1 and v2)
and Statistikkbanken CSV exports, and the files of other publishers (Udir, FHI, IMDi, NAV,
Miljødirektoratet, KDD, Helsedirektoratet) and of third parties that compiled public figures.

``read(path)`` picks the importer by the file's name and returns the file as ``cells.Batch``es, or
raises ``ImportRefused`` saying what is wrong; nothing is written until the import service stores a
batch, all or nothing.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kommunedialog.statistics.cells import Batch, ImportRefused

Reader = Callable[[Path], list[Batch]]


@dataclass(frozen=True)
class Importer:
    pattern: str  # a file name pattern
    dataset: str  # the table id its batches are stored under ("ssb": the SSB table number in the file)
    reader: Reader
    publisher: str


def _registry() -> list[Importer]:
    from kommunedialog.statistics.importers import fhi, imdi, kostra, nav, others, panels, ssb, udir

    return [
        Importer("omsorg/framskriving-paneldata-omsorg-*.csv", panels.OMSORG, panels.read_omsorg, "SSB"),
        Importer(
            "panel/samarbeidsdesken-kommunepanel-*.xlsx",
            panels.KOMMUNEPANEL,
            panels.read_kommunepanel,
            "SSB, IMDi, Helsedirektoratet",
        ),
        Importer("indicators/imdi-bosetting-*.csv", imdi.BOSETTING, imdi.read_bosetting, "IMDi"),
        Importer("grants/samarbeidsdesken-imdi-tilskudd-*.xlsx", imdi.TILSKUDD, imdi.read_tilskudd, "IMDi"),
        Importer("indicators/udir-grunnskolepoeng-*.xlsx", udir.DATASET, udir.read, "Udir"),
        Importer("indicators/fhi-kommunehelsa-hjertekar-*.csv", fhi.HJERTEKAR, fhi.read_hjertekar, "FHI"),
        Importer("indicators/fhi-barnevernstiltak-*.csv", fhi.BARNEVERN, fhi.read_barnevern, "FHI"),
        Importer("indicators/nav-arbeidsledighet-*.csv", nav.LEDIGHET, nav.read_ledighet, "NAV"),
        Importer("indicators/nav-nedsatt-arbeidsevne-*.csv", nav.NEDSATT, nav.read_nedsatt, "NAV"),
        Importer(
            "indicators/mdir-klimagassutslipp-*.csv", others.KLIMAGASS, others.read_klimagass, "Miljødirektoratet"
        ),
        Importer("inntektssystem/kdd-gront-hefte-*-dki-per-kommune.json", others.DKI, others.read_dki, "KDD"),
        Importer("indicators/helsedir-kuhr-takstbruk-*.json", others.KUHR, others.read_kuhr, "Helsedirektoratet"),
        Importer("kostra-compiled/*_KOSTRA_*_nokkeltall.xlsx", kostra.DATASET, kostra.read, "SSB (KOSTRA)"),
        Importer("indicators/ssb-*.json", "ssb", ssb.read, "SSB"),
        Importer("ssb/*-jsonstat2-*.json", "ssb", ssb.read, "SSB"),
        Importer("population/ssb-*-statbank-export-*.csv", "ssb", ssb.read, "SSB"),
    ]


def importers() -> list[Importer]:
    return _registry()


def importer_for(path: Path, *, root: Path | None = None) -> Importer | None:
    """The importer for a file, by its path under ``root`` (../shared/data) or by its name alone."""
    name = path.as_posix()
    if root is not None:
        try:
            name = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            name = path.name
    for importer in _registry():
        if fnmatch.fnmatch(name, importer.pattern) or fnmatch.fnmatch(path.name, importer.pattern.rsplit("/", 1)[-1]):
            return importer
    return None


def read(path: Path, *, root: Path | None = None, table: str | None = None) -> list[Batch]:
    """Read one file into batches (several when one file holds more than one table)."""
    from kommunedialog.statistics.importers import sniff

    sniff.check(path)
    importer = importer_for(path, root=root)
    if importer is None:
        if path.suffix.lower() in (".json", ".csv"):
            from kommunedialog.statistics.importers import ssb

            return ssb.read(path, table=table)
        raise ImportRefused(f"{path.name}: no importer reads this kind of file")
    if importer.dataset == "ssb":
        from kommunedialog.statistics.importers import ssb

        return ssb.read(path, table=table)
    return importer.reader(path)


def datasets() -> set[str]:
    """The table ids the file importers store their figures under."""
    return {i.dataset for i in _registry() if i.dataset != "ssb"}


__all__ = ["ImportRefused", "Importer", "datasets", "importer_for", "importers", "read"]
