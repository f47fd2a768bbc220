use super::*;

const FORM: &str = "title: T\nprefix: PAW\nintro: i\npurpose: p\nlegal_basis: l\nretention: r\ndeadline_days: 5\ndesk: d\nfields:\n  - name: kasus\n    type: choice\n    label: Kasus\n    options_from: kasus-paw\n    options:\n      - {value: lainnya, label: Lainnya}\n";

fn lists(text: &str) -> Lists {
    Lists::from([("kasus-paw".to_string(), text.to_string())])
}

#[test]
fn a_list_of_options_comes_before_the_forms_own_and_is_part_of_its_hash() {
    let one = parse(
        "t",
        "t.yaml",
        FORM,
        &lists("- {value: dapil-2-a, label: 'Dapil NTB 2: A'}\n"),
    )
    .expect("valid");
    let values: Vec<&str> = one.fields[0]
        .options
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(values, ["dapil-2-a", "lainnya"]);
    let empty = parse("t", "t.yaml", FORM, &lists("[]\n")).expect("valid");
    assert_eq!(empty.fields[0].options.len(), 1);
    assert_ne!(one.hash, empty.hash, "a page with other options is stale");
}

#[test]
fn a_missing_or_broken_list_is_an_error_that_names_its_file() {
    let missing = parse("t", "t.yaml", FORM, &Lists::new()).expect_err("missing");
    assert!(
        missing[0]
            .message
            .contains("content/forms/pilihan/kasus-paw.yaml")
    );
    let broken = parse("t", "t.yaml", FORM, &lists("- {value: x}\n")).expect_err("broken");
    assert!(broken[0].message.contains("kasus-paw.yaml"), "{broken:?}");
}

#[test]
fn a_condition_must_name_a_field_and_answers_the_form_has() {
    let with = |condition: &str| {
        FORM.replace(
            "fields:\n",
            &format!("fields:\n  - {{name: email, type: email, label: Surel, required_if: {condition}}}\n"),
        )
    };
    let lists = lists("[]\n");
    assert!(
        parse(
            "t",
            "t.yaml",
            &with("{field: kasus, equals: [lainnya]}"),
            &lists
        )
        .is_ok()
    );
    let e = parse(
        "t",
        "t.yaml",
        &with("{field: cara, equals: [surel]}"),
        &lists,
    )
    .expect_err("no such field");
    assert!(
        e[0].message
            .contains("`email`: `required_if` names the field `cara`")
    );
    let e = parse(
        "t",
        "t.yaml",
        &with("{field: kasus, equals: [surel]}"),
        &lists,
    )
    .expect_err("no such answer");
    assert!(e[0].message.contains("expects `surel` in `kasus`"), "{e:?}");
}

#[test]
fn an_editor_reads_a_definitions_problem_in_indonesian_when_asked() {
    let form = FORM.replace("prefix: PAW", "prefix: paw");
    let lists = lists("[]\n");
    let e = parse_in("t", "t.yaml", &form, &lists, Lang::Id).expect_err("lower-case prefix");
    assert_eq!(
        e[0].message,
        "awalan nomor referensi tidak sesuai: `prefix` harus berupa tiga huruf kapital, bukan `paw`"
    );
    let e = parse("t", "t.yaml", &form, &lists).expect_err("lower-case prefix");
    assert_eq!(
        e[0].message,
        "`prefix` must be three capital letters, not `paw`"
    );
    let broken = FORM.replace("type: choice", "type: pilihan");
    let e = parse_in("t", "t.yaml", &broken, &lists, Lang::Id).expect_err("unknown type");
    let head = "definisi formulir tidak ditulis dengan benar: fields[0].type: unknown variant";
    assert!(e[0].message.starts_with(head), "{e:?}");
    assert_eq!(e[0].line, Some(11), "the same place in either language");
}
