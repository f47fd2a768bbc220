use super::*;
use crate::schema::Choice;
use crate::submission::Upload;

fn field(kind: FieldType) -> Field {
    Field {
        name: "x".into(),
        kind,
        label: "Isian".into(),
        hint: None,
        required: true,
        required_if: None,
        autocomplete: None,
        min_length: None,
        max_length: None,
        min: None,
        max: None,
        min_days_ahead: None,
        max_days_ahead: None,
        not_future: false,
        working_day: false,
        options: vec![
            Choice {
                value: "a".into(),
                label: "Pilihan A".into(),
            },
            Choice {
                value: "b".into(),
                label: "Pilihan B".into(),
            },
        ],
        options_from: None,
        accept: vec!["pdf".into(), "jpg".into()],
        max_mb: Some(1),
        fields: Vec::new(),
        min_rows: None,
        max_rows: None,
        rows: None,
    }
}

fn form(fields: Vec<Field>) -> Form {
    serde_yaml::from_str::<Form>(
        "title: T\nprefix: TES\nintro: i\npurpose: p\nlegal_basis: l\nretention: r\ndeadline_days: 5\ndesk: d\nfields: []\n",
    )
    .map(|f| Form { fields, ..f })
    .expect("valid")
}

fn today() -> Day {
    Day::parse("2026-02-12").expect("a Thursday")
}

/// Checks one field of `kind` (adjusted by `tweak`) against `value`.
fn check(kind: FieldType, tweak: fn(&mut Field), value: &str) -> Result<Vec<Answer>, Errors> {
    let mut f = field(kind);
    tweak(&mut f);
    let submission = Submission {
        fields: vec![("x".into(), value.into())],
        files: Vec::new(),
    };
    validate(&form(vec![f]), &submission, today())
}

fn ok(kind: FieldType, tweak: fn(&mut Field), value: &str) -> String {
    match check(kind, tweak, value) {
        Ok(answers) => match &answers[0].value {
            Value::Text(t) => t.clone(),
            Value::Choices(c) => c.join("|"),
            other => format!("{other:?}"),
        },
        Err(e) => panic!("{kind:?} `{value}` rejected: {e:?}"),
    }
}

fn err(kind: FieldType, tweak: fn(&mut Field), value: &str) -> String {
    match check(kind, tweak, value) {
        Ok(a) => panic!("{kind:?} `{value}` accepted: {a:?}"),
        Err(e) => e[0].1.clone(),
    }
}

fn none(_: &mut Field) {}

/// A field type, how its definition is adjusted, the answer, and what must come out.
type Case = (FieldType, fn(&mut Field), &'static str, &'static str);

#[test]
fn accepts_and_normalises_valid_answers_of_every_type() {
    let cases: Vec<Case> = vec![
        (FieldType::Text, none, "  Siti Aminah ", "Siti Aminah"),
        (
            FieldType::Textarea,
            none,
            "Baris satu\nBaris dua",
            "Baris satu\nBaris dua",
        ),
        (FieldType::Email, none, "siti@contoh.id", "siti@contoh.id"),
        (FieldType::Phone, none, "0812-3456-7890", "+6281234567890"),
        (FieldType::Phone, none, "+62 812 3456 789", "+628123456789"),
        (FieldType::Phone, none, "6281234567890", "+6281234567890"),
        (FieldType::Nik, none, "5201014101900001", "5201014101900001"),
        (
            FieldType::Nik,
            none,
            "5271 0112 0390 0123",
            "5271011203900123",
        ),
        (
            FieldType::Date,
            |f| f.not_future = true,
            "2000-01-31",
            "31 Januari 2000",
        ),
        (
            FieldType::Date,
            |f| {
                f.min_days_ahead = Some(14);
                f.working_day = true;
            },
            "2026-02-26",
            "26 Februari 2026",
        ),
        (
            FieldType::Number,
            |f| {
                f.min = Some(1);
                f.max = Some(20);
            },
            "20",
            "20",
        ),
        (FieldType::Choice, none, "b", "Pilihan B"),
        (FieldType::Kabkota, none, "52.71", "Kota Mataram"),
        (FieldType::Consent, none, "ya", "Ya"),
    ];
    for (kind, tweak, input, expected) in cases {
        assert_eq!(ok(kind, tweak, input), expected, "{kind:?} `{input}`");
    }
}

#[test]
fn rejects_invalid_answers_with_a_message_that_says_what_to_do() {
    let cases: Vec<Case> = vec![
        (FieldType::Text, none, "", "Isian wajib diisi."),
        (
            FieldType::Text,
            |f| f.max_length = Some(5),
            "enam!!",
            "terlalu panjang: paling banyak 5 huruf (sekarang 6)",
        ),
        (
            FieldType::Textarea,
            |f| f.min_length = Some(30),
            "pendek",
            "terlalu pendek: tulis paling sedikit 30 huruf",
        ),
        (FieldType::Text, none, "dua\nbaris", "harus satu baris"),
        (
            FieldType::Text,
            none,
            "teks \u{202E}terbalik",
            "karakter yang tidak diizinkan",
        ),
        (
            FieldType::Email,
            none,
            "siti@contoh",
            "alamat surel yang benar",
        ),
        (
            FieldType::Email,
            none,
            "siti contoh.id",
            "alamat surel yang benar",
        ),
        (
            FieldType::Email,
            none,
            "a@b@c.id",
            "alamat surel yang benar",
        ),
        (FieldType::Phone, none, "0370 123456", "nomor HP yang benar"),
        (FieldType::Phone, none, "0812345", "nomor HP yang benar"),
        (
            FieldType::Phone,
            none,
            "08123456789012345",
            "nomor HP yang benar",
        ),
        (
            FieldType::Phone,
            none,
            "0802 3456 7890",
            "nomor HP yang benar",
        ),
        (FieldType::Nik, none, "520101410190000", "16 angka"),
        (FieldType::Nik, none, "52010141019000012", "16 angka"),
        (FieldType::Nik, none, "1001014101900001", "kode provinsi"),
        (FieldType::Nik, none, "9901014101900001", "kode provinsi"),
        (FieldType::Nik, none, "5201013201900001", "tanggal lahir"),
        (FieldType::Nik, none, "5201017201900001", "tanggal lahir"),
        (FieldType::Nik, none, "5201011513900001", "tanggal lahir"),
        (FieldType::Nik, none, "5201014101900000", "tidak boleh 0000"),
        (
            FieldType::Date,
            none,
            "31-01-2000",
            "tulis tanggal yang benar",
        ),
        (
            FieldType::Date,
            none,
            "2026-02-30",
            "tulis tanggal yang benar",
        ),
        (
            FieldType::Date,
            |f| f.not_future = true,
            "2026-02-13",
            "tidak boleh setelah hari ini",
        ),
        (
            FieldType::Date,
            |f| f.min_days_ahead = Some(14),
            "2026-02-25",
            "paling cepat 26 Februari 2026",
        ),
        (
            FieldType::Date,
            |f| f.max_days_ahead = Some(30),
            "2026-04-01",
            "paling lambat 14 Maret 2026",
        ),
        (
            FieldType::Date,
            |f| f.working_day = true,
            "2026-02-14",
            "harus hari kerja",
        ),
        (FieldType::Number, none, "tiga", "tulis angka bulat"),
        (
            FieldType::Number,
            |f| f.min = Some(1),
            "0",
            "paling sedikit 1",
        ),
        (
            FieldType::Number,
            |f| f.max = Some(20),
            "21",
            "paling banyak 20",
        ),
        (FieldType::Choice, none, "c", "Pilih salah satu pilihan"),
        (FieldType::Choice, none, "", "Pilih isian."),
        (
            FieldType::Kabkota,
            none,
            "52.99",
            "Pilih salah satu pilihan",
        ),
        (FieldType::Consent, none, "", "Centang \"Isian\""),
        (FieldType::Multi, none, "z", "tidak dikenal"),
    ];
    for (kind, tweak, input, expected) in cases {
        let message = err(kind, tweak, input);
        assert!(
            message.contains(expected),
            "{kind:?} `{input}`: `{message}` lacks `{expected}`"
        );
    }
}

#[test]
fn keeps_every_choice_of_a_multiple_choice_and_refuses_a_repeated_single_field() {
    let f = field(FieldType::Multi);
    let s = Submission {
        fields: vec![("x".into(), "a".into()), ("x".into(), "b".into())],
        files: Vec::new(),
    };
    let answers = validate(&form(vec![f]), &s, today()).expect("valid");
    assert_eq!(
        answers[0].value,
        Value::Choices(vec!["Pilihan A".into(), "Pilihan B".into()])
    );
    let f = field(FieldType::Text);
    let s = Submission {
        fields: vec![("x".into(), "a".into()), ("x".into(), "b".into())],
        files: Vec::new(),
    };
    let e = validate(&form(vec![f]), &s, today()).expect_err("repeated");
    assert!(e[0].1.contains("hanya boleh diisi satu kali"));
}

#[test]
fn checks_files_by_their_content_not_their_name() {
    let f = field(FieldType::File);
    let upload = |name: &str, bytes: &[u8]| Submission {
        fields: Vec::new(),
        files: vec![Upload {
            field: "x".into(),
            filename: name.into(),
            bytes: bytes.to_vec(),
        }],
    };
    assert!(
        validate(
            &form(vec![f.clone()]),
            &upload("surat.pdf", b"%PDF-1.7 ..."),
            today()
        )
        .is_ok()
    );
    let jpeg = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9];
    assert!(
        validate(&form(vec![f.clone()]), &upload("foto.pdf", &jpeg), today()).is_ok(),
        "a JPEG, whatever its name"
    );
    let e = validate(
        &form(vec![f.clone()]),
        &upload("foto.jpg", &[0xFF, 0xD8, 0xFF, 0xE1, 0x40]),
        today(),
    )
    .expect_err("truncated");
    assert!(e[0].1.contains("rusak"), "{e:?}");
    let e = validate(
        &form(vec![f.clone()]),
        &upload("surat.pdf", b"MZ\x90\x00 not a pdf"),
        today(),
    )
    .expect_err("exe");
    assert!(e[0].1.contains("berkas harus PDF, JPG"), "{e:?}");
    let big = [b"%PDF-".as_slice(), &vec![b' '; 1024 * 1024 + 1]].concat();
    let e = validate(&form(vec![f.clone()]), &upload("besar.pdf", &big), today()).expect_err("big");
    assert!(e[0].1.contains("paling besar 1 MB"), "{e:?}");
    let e = validate(&form(vec![f]), &Submission::default(), today()).expect_err("missing");
    assert!(e[0].1.contains("Lampirkan isian"), "{e:?}");
}

#[test]
fn validates_the_rows_of_a_group_that_were_filled() {
    let mut g = field(FieldType::Group);
    g.name = "anggota".into();
    g.min_rows = Some(1);
    g.max_rows = Some(3);
    g.fields = vec![
        Field {
            name: "nama".into(),
            ..field(FieldType::Text)
        },
        Field {
            name: "hp".into(),
            ..field(FieldType::Phone)
        },
    ];
    let s = Submission {
        fields: vec![
            ("anggota-1-nama".into(), "Ani".into()),
            ("anggota-1-hp".into(), "081234567890".into()),
            ("anggota-3-nama".into(), "Budi".into()),
            ("anggota-3-hp".into(), "123".into()),
        ],
        files: Vec::new(),
    };
    let e = validate(&form(vec![g.clone()]), &s, today()).expect_err("row 3 phone");
    assert_eq!(e[0].0, "anggota-3-hp");
    assert!(e[0].1.starts_with("Baris 3: "), "{e:?}");
    let e = validate(&form(vec![g]), &Submission::default(), today()).expect_err("no rows");
    assert!(e[0].1.contains("isi paling sedikit 1 baris"), "{e:?}");
}

#[test]
fn invisible_characters_do_not_fill_a_required_field() {
    for filler in [
        "\u{200B}",
        "\u{2060}",
        "\u{FEFF}",
        "\u{3164}",
        "\u{2800}",
        " \u{200B}\u{00AD} ",
    ] {
        assert_eq!(
            err(FieldType::Text, none, filler),
            "Isian wajib diisi.",
            "{filler:?}"
        );
    }
    assert_eq!(ok(FieldType::Text, none, "\u{FEFF}Siti\u{200B}"), "Siti");
}

#[test]
fn a_one_line_field_refuses_every_kind_of_line_break() {
    for value in ["dua\u{2028}baris", "dua\u{2029}baris", "dua\rbaris"] {
        assert!(
            err(FieldType::Text, none, value).contains("harus satu baris"),
            "{value:?}"
        );
    }
    assert!(
        err(FieldType::Text, none, "teks \u{061C}arab").contains("tidak diizinkan"),
        "the Arabic letter mark is a bidi control"
    );
}

#[test]
fn refuses_emails_the_mailer_would_refuse() {
    for address in ["a(b)@example.com", ".a@x.id", "a..b@x.id", "a.@x.id"] {
        assert!(
            err(FieldType::Email, none, address).contains("alamat surel yang benar"),
            "{address}"
        );
    }
    for address in ["v+1@contoh.id", "siti.aminah@kpu-ntb.example"] {
        assert_eq!(ok(FieldType::Email, none, address), address);
        assert!(address.parse::<lettre::message::Mailbox>().is_ok());
    }
}

#[test]
fn a_file_input_takes_one_file() {
    let pdf = Upload {
        field: "x".into(),
        filename: "a.pdf".into(),
        bytes: b"%PDF-1.7".to_vec(),
    };
    let many = Submission {
        fields: Vec::new(),
        files: vec![pdf; 3],
    };
    let e = validate(&form(vec![field(FieldType::File)]), &many, today()).expect_err("three");
    assert!(e[0].1.contains("satu berkas saja"), "{e:?}");
}
