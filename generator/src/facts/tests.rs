use super::*;

#[test]
fn reads_rupiah_amounts_as_written_in_indonesian() {
    let found: Vec<String> =
        amounts("Rp5.000 per lembar, Rp 150.000,00 atau Rp. 20000; bukan 5.000")
            .into_iter()
            .map(|a| a.digits)
            .collect();
    assert_eq!(found, ["5000", "150000", "20000"]);
    assert!(amounts("Rapat pleno, RpX").is_empty());
}

#[test]
fn finds_the_values_a_text_asks_for() {
    let text = "Biaya: {{ biaya }}, {{jangka_waktu}}; `{{ kosong` dan {{ a\nb }}.";
    let found: Vec<(&str, std::ops::Range<usize>)> = fill::uses(text);
    assert_eq!(found, [("biaya", 7..18), ("jangka_waktu", 20..36)]);
}
