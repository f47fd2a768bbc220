//! Stable, readable URL parts and heading ids from Indonesian text.

/// `Syarat & Ketentuan (2026)` → `syarat-ketentuan-2026`. Letters with diacritics fold to
/// their base letter so ids stay typeable; other letters and digits are kept as they are.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold(c);
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c);
        } else if c != '\'' && c != '’' {
            dash = true;
        }
    }
    slug
}

fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(
            slugify("Syarat & Ketentuan (2026)"),
            "syarat-ketentuan-2026"
        );
        assert_eq!(slugify("  Yang perlu disiapkan?  "), "yang-perlu-disiapkan");
        // The examples of docs/PANDUAN.md.
        assert_eq!(
            slugify("Jika permohonan ditolak: keberatan"),
            "jika-permohonan-ditolak-keberatan"
        );
        assert_eq!(
            slugify("Pra-pendaftaran (daring)"),
            "pra-pendaftaran-daring"
        );
        assert_eq!(slugify("Pemilu Café"), "pemilu-cafe");
        assert_eq!(slugify("Jum'at"), "jumat");
        assert_eq!(slugify("---"), "");
    }
}
