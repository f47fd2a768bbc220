#!/usr/bin/env python3
"""Writes two equivalent benchmark sites: one for our generator, one for Hugo.

    python3 bench/corpus.py --pages 1000 --out /dev/shm/corpus

creates DIR/ours/ (content/, content/site.yaml, templates/) and DIR/hugo/ (config.toml,
content/, layouts/). Both hold the same pages, word for word; only the syntax that the two
tools spell differently changes (internal links, the summary marker, the section feed
switch), so a build-time difference measures the tools, not the input.

The text is synthetic Indonesian about elections and public services, built from phrase
lists below with a seeded RNG: the same --pages and --seed give byte-identical files.
Standard library only, so the benchmark needs nothing but python3 and hugo.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = BENCH_DIR / "templates"

PAGES_PER_SECTION = 100
# Whole file (front matter included) aims at about this many bytes.
TARGET_PAGE_BYTES = 4096
BASE_URL = "https://bench.example/"
SITE_TITLE = "KPU Provinsi NTB (tolok ukur)"
SITE_DESCRIPTION = "Situs uji kinerja: informasi pemilihan dan layanan publik KPU Provinsi Nusa Tenggara Barat."
# docs/content.md and docs/templates.md place the site settings in content/site.yaml.
SITE_YAML = Path("content") / "site.yaml"
# Only this section asks for a feed, on both sides (ours: `feed: true`, Hugo: RSS output).
FEED_SECTION = 1

# --------------------------------------------------------------------------------------
# Vocabulary. Subjects are written as they appear mid-sentence; `cap()` fixes sentence starts.
# --------------------------------------------------------------------------------------

PLACES = [
    "Kota Mataram", "Kabupaten Lombok Barat", "Kabupaten Lombok Tengah", "Kabupaten Lombok Timur",
    "Kabupaten Lombok Utara", "Kabupaten Sumbawa Barat", "Kabupaten Sumbawa", "Kabupaten Dompu",
    "Kabupaten Bima", "Kota Bima",
]
DISTRICTS = [
    "Ampenan", "Cakranegara", "Selaparang", "Sekarbela", "Gerung", "Kediri", "Praya", "Jonggat",
    "Selong", "Pringgabaya", "Tanjung", "Gangga", "Taliwang", "Jereweh", "Alas", "Sumbawa",
    "Woha", "Bolo", "Kempo", "Rasanae Barat", "Mpunda", "Labuapi", "Narmada", "Kopang",
]
SUBJECTS = [
    "KPU Provinsi NTB", "KPU kabupaten/kota", "petugas pemutakhiran data pemilih",
    "Panitia Pemilihan Kecamatan (PPK)", "Panitia Pemungutan Suara (PPS)",
    "Kelompok Penyelenggara Pemungutan Suara (KPPS)", "operator Sidalih",
    "Pejabat Pengelola Informasi dan Dokumentasi (PPID)", "sekretariat KPU",
    "tim teknis penyelenggaraan", "divisi hukum dan pengawasan", "petugas layanan informasi",
    "divisi perencanaan, data, dan informasi", "Bawaslu Provinsi NTB", "tim sosialisasi",
    "relawan demokrasi", "pemerintah daerah", "Dinas Kependudukan dan Pencatatan Sipil",
    "partai politik peserta pemilu", "pemantau pemilihan terakreditasi",
]
VERBS = [
    "melaksanakan", "memverifikasi", "menyampaikan", "mengumumkan", "menyusun",
    "memastikan kelengkapan", "mencocokkan", "meneliti", "menetapkan", "mengevaluasi",
    "memperbarui", "mendokumentasikan", "menindaklanjuti", "mempublikasikan",
    "mengoordinasikan", "merekapitulasi", "menyerahkan", "memeriksa kembali",
]
OBJECTS = [
    "daftar pemilih sementara", "daftar pemilih tetap", "data pemilih berkelanjutan",
    "rekapitulasi hasil penghitungan suara", "formulir model A-Daftar Pemilih",
    "jadwal tahapan pemilihan", "laporan awal dana kampanye",
    "standar pelayanan informasi publik", "berita acara rapat pleno",
    "permohonan informasi dari masyarakat", "usulan penggantian antar waktu",
    "dokumen persyaratan bakal calon", "kebutuhan logistik pemungutan suara",
    "data pemilih penyandang disabilitas", "daftar pemilih tambahan",
    "laporan pengaduan masyarakat", "salinan keputusan", "materi sosialisasi",
    "hasil survei kepuasan masyarakat", "peta persebaran tempat pemungutan suara",
]
LAWS = [
    "Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum",
    "Undang-Undang Nomor 10 Tahun 2016 tentang Pemilihan Gubernur, Bupati, dan Wali Kota",
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
    "Peraturan KPU Nomor 7 Tahun 2022", "Peraturan KPU Nomor 8 Tahun 2024",
    "Peraturan KPU Nomor 22 Tahun 2023", "Keputusan KPU tentang pedoman teknis",
]
COMPLEMENTS = [
    "di {place}", "sesuai dengan {law}", "paling lambat {n} hari kerja setelah permohonan diterima",
    "secara terbuka dan akuntabel", "bersama para pemangku kepentingan",
    "sebelum hari pemungutan suara", "melalui rapat pleno terbuka",
    "dengan memperhatikan prinsip kehati-hatian", "agar hak pilih warga terlindungi",
    "untuk memastikan tidak ada pemilih ganda", "berdasarkan hasil pencocokan dan penelitian",
    "pada masa tahapan {year}", "di setiap tempat pemungutan suara di Kecamatan {district}",
    "dengan melibatkan perwakilan partai politik", "tanpa dipungut biaya",
]
CONNECTORS = [
    "Selain itu,", "Dalam pelaksanaannya,", "Oleh karena itu,", "Sementara itu,", "Untuk itu,",
    "Pada tahap ini,", "Di samping itu,", "Dengan demikian,", "Sebagai tindak lanjut,",
    "Menurut ketentuan yang berlaku,",
]
CHANNELS = [
    "loket layanan terpadu", "laman resmi KPU Provinsi NTB", "surel PPID", "aplikasi Sidalih",
    "kantor KPU kabupaten/kota", "layanan pesan singkat", "media sosial resmi", "formulir daring",
]
ACTIONS = [
    "mengajukan permohonan informasi", "mengecek status terdaftar sebagai pemilih",
    "menyampaikan tanggapan", "melaporkan pemilih yang tidak memenuhi syarat",
    "mengunduh salinan keputusan", "mendaftar sebagai pemantau", "mengajukan keberatan",
    "meminta salinan berita acara",
]
# (what, unit, plausible range for one regency or city)
COUNTABLES = [
    ("pemilih", "orang", 80_000, 1_000_000), ("tempat pemungutan suara", "TPS", 300, 4_500),
    ("petugas KPPS", "orang", 2_000, 32_000), ("permohonan informasi", "permohonan", 12, 400),
    ("pemilih pemula", "orang", 5_000, 90_000), ("pemilih penyandang disabilitas", "orang", 300, 9_000),
    ("kotak suara", "unit", 1_500, 23_000), ("surat suara cadangan", "lembar", 2_000, 60_000),
]
CHANGES = [
    "naik dibanding tahun sebelumnya", "turun sedikit dari periode lalu", "relatif stabil",
    "sesuai dengan proyeksi awal", "melampaui target yang ditetapkan",
]
MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
]
PERIODS = [
    "awal tahapan", "masa perbaikan daftar pemilih", "pekan terakhir bulan {month}",
    "triwulan {q} tahun {year}", "masa kampanye", "hari pemungutan suara",
]
LINK_SENTENCES = [
    "Penjelasan lengkap dapat dibaca pada [{text}]({dest}).",
    "Lihat juga [{text}]({dest}) untuk informasi terkait.",
    "Ketentuan serupa dibahas dalam [{text}]({dest}).",
    "Pemohon dapat membandingkannya dengan [{text}]({dest}).",
    "Data pendukungnya tersedia di halaman [{text}]({dest}).",
]
TOPICS = [
    "Pemutakhiran Data Pemilih", "Pencocokan dan Penelitian", "Rekapitulasi Hasil Penghitungan Suara",
    "Layanan Permohonan Informasi Publik", "Penggantian Antar Waktu Anggota DPRD",
    "Pendaftaran Pemantau Pemilihan", "Sosialisasi dan Pendidikan Pemilih",
    "Rekrutmen Badan Ad Hoc", "Pengelolaan Logistik Pemilihan", "Pelaporan Dana Kampanye",
    "Verifikasi Faktual Partai Politik", "Pencalonan Perseorangan", "Layanan Pindah Memilih",
    "Layanan Pengaduan Masyarakat", "Survei Kepuasan Masyarakat", "Pengelolaan Arsip Pemilu",
    "Penyusunan Daftar Pemilih Khusus", "Pendataan Pemilih Penyandang Disabilitas",
    "Bimbingan Teknis KPPS", "Rapat Pleno Terbuka",
]
SECTION_NAMES = [
    "Berita", "Layanan", "Regulasi", "Data Pemilih", "Pengumuman", "Informasi Publik", "Hukum",
    "Logistik", "Sosialisasi", "Partisipasi",
]
# Fifty tags; names are lowercase ASCII so both tools derive the same slug from them.
TAGS = [
    "pemilu 2024", "pilkada 2024", "daftar pemilih", "dpt", "coklit", "sidalih", "tps", "kpps",
    "ppk", "pps", "rekapitulasi", "logistik", "kampanye", "dana kampanye", "pencalonan", "dprd",
    "paw", "ppid", "informasi publik", "pengaduan", "sosialisasi", "pemilih pemula",
    "disabilitas", "pendidikan pemilih", "partisipasi", "mataram", "lombok barat",
    "lombok tengah", "lombok timur", "lombok utara", "sumbawa", "sumbawa barat", "dompu", "bima",
    "regulasi", "pkpu", "anggaran", "pengadaan", "sengketa", "verifikasi partai", "sipol",
    "silon", "sirekap", "survei kepuasan", "standar pelayanan", "rapat pleno",
    "bimbingan teknis", "badan adhoc", "arsip", "perempuan",
]
# Zipf weights (exponent 0.8): the most used tag lands on about a third of the pages.
TAG_CUM_WEIGHTS = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(TAGS))))
H2_INTRO = ["Latar Belakang", "Gambaran Umum", "Ringkasan Kegiatan", "Dasar Pelaksanaan"]
H3_LIST = ["Yang Perlu Disiapkan", "Persyaratan Dokumen", "Hal yang Perlu Diperhatikan", "Sasaran Kegiatan"]
H2_TABLE = ["Data per Kabupaten/Kota", "Rekapitulasi Data", "Sebaran Pemilih", "Capaian per Wilayah"]
H2_STEPS = ["Tahapan Pelaksanaan", "Prosedur Layanan", "Langkah Pengajuan", "Alur Pemeriksaan"]
H3_CODE = ["Contoh Format Data", "Format Berkas", "Contoh Isian"]
H2_END = ["Tindak Lanjut", "Penutup", "Informasi Lebih Lanjut", "Kontak dan Pengaduan"]
REQUIREMENTS = [
    "KTP-el atau surat keterangan pengganti", "Kartu Keluarga", "surat kuasa jika dikuasakan",
    "formulir permohonan yang telah diisi lengkap", "salinan akta pendirian bagi badan hukum",
    "pas foto berwarna terbaru", "surat pernyataan bersedia mematuhi ketentuan",
    "alamat surel yang aktif", "nomor telepon yang dapat dihubungi",
    "dokumen pendukung lain sesuai jenis layanan",
]
# Steps keep their order in a list so any sorted sample of them still reads as a procedure.
STEPS = [
    "Pemohon mengisi formulir permohonan di loket atau secara daring.",
    "Petugas memeriksa kelengkapan dokumen persyaratan.",
    "Permohonan yang lengkap dicatat dalam buku register dan diberi nomor.",
    "Petugas meneruskan permohonan kepada divisi yang berwenang.",
    "Divisi terkait meneliti permohonan dan menyiapkan jawaban.",
    "Pimpinan menandatangani surat jawaban atau salinan keputusan.",
    "Petugas menyerahkan hasil layanan kepada pemohon.",
    "Pemohon mengisi survei kepuasan layanan.",
]


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def thousands(n: int) -> str:
    """Indonesian digit grouping: 1.234.567."""
    return f"{n:,}".replace(",", ".")


def yaml_str(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: safe for any title both parsers read.
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Page:
    section: int  # 1-based
    index: int  # 1-based within the section
    title: str
    description: str
    date: str
    tags: list[str]
    links: list[tuple[int, int]] = field(default_factory=list)

    @property
    def rel_path(self) -> str:
        return f"{section_dir(self.section)}/halaman-{self.index:04d}.md"


def section_dir(n: int) -> str:
    return f"bagian-{n:03d}"


class Writer:
    """Produces the text; one RNG drives everything so the output depends only on the seed."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            place=r.choice(PLACES), law=r.choice(LAWS), n=r.randint(2, 14),
            year=r.choice([2019, 2020, 2023, 2024, 2025]), district=r.choice(DISTRICTS),
            month=r.choice(MONTHS), q=r.choice(["I", "II", "III", "IV"]),
        )

    def sentence(self) -> str:
        r = self.rng
        kind = r.randrange(6)
        if kind <= 1:
            s = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {self.fill(r.choice(COMPLEMENTS))}"
            return cap(s) + "."
        if kind == 2:
            s = f"{r.choice(CONNECTORS)} {r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {self.fill(r.choice(COMPLEMENTS))}"
            return s + "."
        if kind == 3:
            what, unit, lo, hi = r.choice(COUNTABLES)
            return (f"Jumlah {what} di {r.choice(PLACES)} pada {self.fill(r.choice(PERIODS))} tercatat "
                    f"{thousands(r.randint(lo, hi))} {unit}, {r.choice(CHANGES)}.")
        if kind == 4:
            return (f"Masyarakat dapat {r.choice(ACTIONS)} melalui {r.choice(CHANNELS)} "
                    f"{self.fill(r.choice(COMPLEMENTS))}.")
        return f"{cap(r.choice(OBJECTS))} disusun berdasarkan {r.choice(LAWS)}."

    def paragraph(self, lo: int = 2, hi: int = 4) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def title(self) -> str:
        r = self.rng
        topic = r.choice(TOPICS)
        kind = r.randrange(3)
        if kind == 0:
            return f"{topic} di {r.choice(PLACES)}"
        if kind == 1:
            return f"{topic} Tahun {r.choice([2019, 2020, 2023, 2024, 2025])}"
        return f"{topic}: Kecamatan {r.choice(DISTRICTS)}"

    def description(self) -> str:
        text = self.sentence()
        if len(text) > 155:  # docs/content.md: ≤ 160 characters
            text = text[:150].rsplit(" ", 1)[0].rstrip(",") + "…"
        return text

    def date(self) -> str:
        # No future dates: Hugo would skip them (buildFuture is also set, belt and braces).
        r = self.rng
        return f"{r.randint(2019, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"

    def tags(self) -> list[str]:
        # Zipf-like, as on real sites: the first tags of TAGS on many pages, the last on few.
        picked: list[str] = []
        want = self.rng.randint(2, 4)
        while len(picked) < want:
            tag = self.rng.choices(TAGS, cum_weights=TAG_CUM_WEIGHTS)[0]
            if tag not in picked:
                picked.append(tag)
        return picked

    def table(self) -> str:
        r = self.rng
        rows = ["| Kabupaten/Kota | Laki-laki | Perempuan | Jumlah TPS |", "|---|---:|---:|---:|"]
        for place in r.sample(PLACES, r.randint(4, 6)):
            men, women = r.randint(40_000, 700_000), r.randint(40_000, 700_000)
            rows.append(f"| {place} | {thousands(men)} | {thousands(women)} | {thousands((men + women) // 280)} |")
        return "\n".join(rows)

    def bullets(self) -> str:
        return "\n".join(f"- {cap(item)}" for item in self.rng.sample(REQUIREMENTS, self.rng.randint(4, 6)))

    def steps(self) -> str:
        chosen = sorted(self.rng.sample(range(len(STEPS)), self.rng.randint(4, 6)))
        return "\n".join(f"{n}. {STEPS[i]}" for n, i in enumerate(chosen, 1))

    def code(self) -> str:
        r = self.rng
        kind = r.randrange(3)
        if kind == 0:
            lines = ["kode_wilayah,kabupaten_kota,kecamatan,jumlah_tps,jumlah_pemilih"]
            for _ in range(r.randint(3, 5)):
                lines.append(f"52{r.randint(1, 72):02d}{r.randint(1, 20):02d},{r.choice(PLACES)},"
                             f"{r.choice(DISTRICTS)},{r.randint(20, 400)},{r.randint(5_000, 90_000)}")
            return "```csv\n" + "\n".join(lines) + "\n```"
        if kind == 1:
            body = {
                "nomor_registrasi": f"PPID-{r.randint(2019, 2025)}-{r.randint(1, 999):04d}",
                "nik_pemohon": f"52{r.randint(10, 99)}" + "*" * 12,
                "informasi_diminta": r.choice(OBJECTS),
                "cara_memperoleh": r.choice(["salinan elektronik", "salinan tercetak", "melihat langsung"]),
                "jangka_waktu_hari_kerja": r.randint(3, 10),
            }
            return "```json\n" + json.dumps(body, ensure_ascii=False, indent=2) + "\n```"
        year = r.randint(2019, 2025)
        return ("```text\n"
                f"Nomor    : {r.randint(1, 999)}/PL.01.2-SD/52/{year}\n"
                f"Lampiran : {r.randint(1, 5)} berkas\n"
                f"Perihal  : {cap(r.choice(OBJECTS))}\n"
                f"Tanggal  : {r.randint(1, 28)} {r.choice(MONTHS)} {year}\n"
                "```")


def link_target(side: str, target: Page) -> str:
    if side == "ours":
        return f"@/{target.rel_path}"
    # relref makes Hugo resolve and check the link, as ours does: the fair comparison.
    return '{{< relref "/' + target.rel_path + '" >}}'


def render_page(page: Page, blocks: list[str], pages: dict[tuple[int, int], Page], side: str) -> str:
    """`blocks` hold the shared text with placeholders for what each tool spells its own way."""
    more = "<!-- more -->" if side == "ours" else "<!--more-->"
    body = "\n\n".join(blocks)
    for k, key in enumerate(page.links):
        body = body.replace(f"\x00LINK{k}\x00", link_target(side, pages[key]))
    body = body.replace("\x00MORE\x00", more)
    tags = ", ".join(yaml_str(t) for t in page.tags)
    return (
        "---\n"
        f"title: {yaml_str(page.title)}\n"
        f"description: {yaml_str(page.description)}\n"
        f"date: {page.date}\n"
        f"weight: {page.index}\n"
        f"tags: [{tags}]\n"
        "---\n"
        f"{body}\n"
    )


def page_blocks(w: Writer, page: Page, pages: dict[tuple[int, int], Page]) -> list[str]:
    r = w.rng

    def linked_paragraph(k: int) -> str:
        target = pages[page.links[k]]
        link = r.choice(LINK_SENTENCES).format(text=target.title, dest=f"\x00LINK{k}\x00")
        sentences = [w.sentence() for _ in range(r.randint(2, 3))]
        sentences.insert(r.randint(1, len(sentences)), link)
        return " ".join(sentences)

    blocks = [
        w.paragraph(2, 3),
        "\x00MORE\x00",
        f"## {r.choice(H2_INTRO)}",
        linked_paragraph(0),
        w.paragraph(),
        f"### {r.choice(H3_LIST)}",
        w.paragraph(1, 2),
        w.bullets(),
        f"## {r.choice(H2_TABLE)}",
        w.paragraph(1, 2),
        w.table(),
        f"## {r.choice(H2_STEPS)}",
        linked_paragraph(1),
        w.steps(),
        f"### {r.choice(H3_CODE)}",
        w.paragraph(1, 1),
        w.code(),
        f"## {r.choice(H2_END)}",
    ]
    for k in range(2, len(page.links)):
        blocks.append(linked_paragraph(k))
    # Top up with plain paragraphs to the target size, measured on our side's spelling.
    while len(render_page(page, blocks, pages, "ours").encode()) < TARGET_PAGE_BYTES - 250:
        blocks.append(w.paragraph())
    return blocks


# Pages listed on one topic page, as the generator does (render::TAG_PAGE_SIZE).
TAG_PAGE_SIZE = 20


def hugo_config() -> str:
    return f'''# Hugo twin of the generator's site: only what ours also does is switched on.
baseURL = "{BASE_URL}"
title = "{SITE_TITLE}"
languageCode = "id"
defaultContentLanguage = "id"
enableRobotsTXT = true
disableHugoGeneratorInject = true
# The corpus has no future dates; this only guards against a clock set in the past.
buildFuture = true

[params]
description = "{SITE_DESCRIPTION}"

# Topic pages list 20 pages each, as ours does (a popular topic has thousands).
paginate = 20

[taxonomies]
tag = "tags"

# No feeds except the one section that asks for it (its _index.md sets `outputs`).
[outputs]
home = ["HTML"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]
page = ["HTML"]

[markup.goldmark.extensions]
# Ours does tables, footnotes, strikethrough, task lists and smart punctuation; not these.
linkify = false
definitionList = false
[markup.goldmark.renderer]
# pulldown-cmark passes raw HTML through; make Hugo do the same work.
unsafe = true
[markup.goldmark.parser]
autoHeadingID = true
autoHeadingIDType = "github"
[markup.highlight]
# Ours does not colour code; Chroma would make Hugo do extra work.
codeFences = false
[markup.tableOfContents]
startLevel = 2
endLevel = 3
ordered = false
'''


# The Hugo layouts mirror bench/templates/*.html element for element, so both tools render
# the same markup shape from the same data.
HUGO_LAYOUTS = {
    "_default/baseof.html": '''<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ block "description" . }}{{ site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<header class="site-header"><a href="/">{{ site.Title }}</a></header>
{{ with .Ancestors }}<nav class="breadcrumbs" aria-label="Remah roti"><ol>{{ range .Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol></nav>{{ end }}
<main id="isi">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><p>{{ site.Params.description }}</p></footer>
</body>
</html>
''',
    "index.html": '''{{ define "main" }}
<h1>{{ .Title }}</h1>
<div class="content">{{ .Content }}</div>
<ul class="sections">
{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span>{{ .Description }}</span></li>
{{ end }}</ul>
{{ end }}
''',
    "_default/list.html": '''{{ define "title" }}{{ .Title }} | {{ site.Title }}{{ end }}
{{ define "description" }}{{ with .Description }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
<div class="content">{{ .Content }}</div>
{{ with .OutputFormats.Get "rss" }}<p class="feed"><a href="{{ .RelPermalink }}">Umpan berita</a></p>{{ end }}
<ul class="page-list">
{{ range .Pages }}<li>
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time>
<div class="summary">{{ .Summary }}</div>
</li>
{{ end }}</ul>
{{ end }}
''',
    "_default/single.html": '''{{ define "title" }}{{ .Title }} | {{ site.Title }}{{ end }}
{{ define "description" }}{{ with .Description }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}{{ end }}
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time> · {{ .ReadingTime }} menit baca</p>
{{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ .TableOfContents }}
<div class="content">{{ .Content }}</div>
<nav class="pager">{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">← {{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }} →</a>{{ end }}</nav>
</article>
{{ end }}
''',
    "_default/taxonomy.html": '''{{ define "title" }}Label | {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>Label</h1>
<ul class="tag-list">
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
''',
    "_default/term.html": '''{{ define "title" }}Label: {{ .LinkTitle }} | {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>Label: {{ .LinkTitle }}</h1>
<ul class="page-list">
{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></li>
{{ end }}</ul>
{{ end }}
''',
    "404.html": '''{{ define "title" }}Halaman tidak ditemukan | {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>Halaman tidak ditemukan</h1>
<p>Alamat yang Anda buka tidak ada. Kembali ke <a href="/">beranda</a>.</p>
{{ end }}
''',
}


def front_matter(title: str, description: str, weight: int, extra: dict[str, str]) -> str:
    lines = ["---", f"title: {yaml_str(title)}", f"description: {yaml_str(description)}", f"weight: {weight}"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "\n".join(lines + ["---", ""])


def generate(pages_total: int, out: Path, seed: int = 2024) -> dict:
    """Writes both sites under `out`; returns what a correct build of either must produce."""
    if pages_total < 1:
        raise ValueError("--pages must be at least 1")
    missing = [n for n in ("base.html", "index.html", "section.html", "page.html", "tags.html", "tag.html", "404.html")
               if not (TEMPLATES_DIR / n).is_file()]
    if missing:
        raise FileNotFoundError(f"bench/templates/ lacks {', '.join(missing)}")

    w = Writer(seed)
    sections = (pages_total + PAGES_PER_SECTION - 1) // PAGES_PER_SECTION

    # Pass 1: every page's metadata, so pass 2 can link to any page by its title.
    pages: dict[tuple[int, int], Page] = {}
    for g in range(pages_total):
        key = (g // PAGES_PER_SECTION + 1, g % PAGES_PER_SECTION + 1)
        pages[key] = Page(key[0], key[1], w.title(), w.description(), w.date(), w.tags())
    keys = list(pages)
    for key, page in pages.items():
        # Only a one-page corpus links a page to itself.
        others = [k for k in w.rng.sample(keys, min(len(keys), 6)) if k != key] or [key]
        page.links = others[: w.rng.randint(2, 4)]
        while len(page.links) < 2:  # tiny corpora: repeat a target rather than drop links
            page.links.append(others[0])

    roots = {side: out / side for side in ("ours", "hugo")}
    for root in roots.values():
        if root.exists():
            shutil.rmtree(root)
        (root / "content").mkdir(parents=True)

    # Site settings and theme.
    (roots["ours"] / SITE_YAML).write_text(
        f"title: {yaml_str(SITE_TITLE)}\n"
        f"description: {yaml_str(SITE_DESCRIPTION)}\n"
        f"base_url: {BASE_URL}\n"
        "language: id\n"
        "menu: []\n", encoding="utf-8")
    shutil.copytree(TEMPLATES_DIR, roots["ours"] / "templates")
    (roots["hugo"] / "config.toml").write_text(hugo_config(), encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        path = roots["hugo"] / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    # Home.
    home = front_matter(SITE_TITLE, SITE_DESCRIPTION, 0, {}) + "\n" + w.paragraph(3, 4) + "\n"
    for root in roots.values():
        (root / "content" / "_index.md").write_text(home, encoding="utf-8")

    # Sections.
    for s in range(1, sections + 1):
        title = f"{SECTION_NAMES[(s - 1) % len(SECTION_NAMES)]} {s}"
        body = "\n" + w.paragraph(2, 3) + "\n"
        feed = s == FEED_SECTION
        for side, root in roots.items():
            extra = {}
            if feed:
                extra = {"feed": "true"} if side == "ours" else {"outputs": "[html, rss]"}
            d = root / "content" / section_dir(s)
            d.mkdir()
            (d / "_index.md").write_text(front_matter(title, w.description(), s, extra) + body, encoding="utf-8")

    # Pages.
    total_bytes = 0
    for page in pages.values():
        blocks = page_blocks(w, page, pages)
        for side, root in roots.items():
            text = render_page(page, blocks, pages, side)
            (root / "content" / page.rel_path).write_text(text, encoding="utf-8")
            if side == "ours":
                total_bytes += len(text.encode())

    tags_used = sorted({t for p in pages.values() for t in p.tags})
    per_tag = {t: sum(t in p.tags for p in pages.values()) for t in tags_used}
    # Both tools list 20 pages on each topic page (Hugo also writes a `page/1/` redirect
    # per paginated topic, which the runner notes as a difference in the count).
    tag_pages = sum((n + TAG_PAGE_SIZE - 1) // TAG_PAGE_SIZE for n in per_tag.values())
    manifest = {
        "pages": pages_total,
        "sections": sections,
        "tags": len(tags_used),
        "seed": seed,
        "markdown_bytes": total_bytes,
        # home + sections + pages + tag list + the pages of every tag + 404
        "expected_html": 1 + sections + pages_total + 1 + tag_pages + 1,
        "feed_section": section_dir(FEED_SECTION),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="number of content pages")
    ap.add_argument("--out", type=Path, required=True, help="folder to write ours/ and hugo/ into")
    ap.add_argument("--seed", type=int, default=2024, help="RNG seed (default: 2024)")
    args = ap.parse_args()
    try:
        m = generate(args.pages, args.out, args.seed)
    except (ValueError, FileNotFoundError) as e:
        print(f"corpus.py: {e}", file=sys.stderr)
        return 2
    print(f"{m['pages']} pages in {m['sections']} sections, {m['tags']} tags, "
          f"{m['markdown_bytes'] / 1e6:.1f} MB of Markdown per site, "
          f"{m['expected_html']} HTML files expected -> {args.out}/ours, {args.out}/hugo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
