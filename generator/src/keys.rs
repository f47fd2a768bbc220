//! The keys a page's front matter accepts, declared once: the checks, the messages and the
//! reading follow this list.

/// The kind of value a key takes, for the example beside a type error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Flag,
    List,
    Date,
    Map,
    /// A value of its own shape (a choice, the service standard).
    Other,
}

/// A front-matter key: its name, whether only a section's `_index.md` takes it, and the
/// kind of its value.
pub struct KeySpec {
    pub name: &'static str,
    pub section_only: bool,
    pub kind: Kind,
}

const fn key(name: &'static str, kind: Kind) -> KeySpec {
    KeySpec {
        name,
        section_only: false,
        kind,
    }
}

const fn section_key(name: &'static str, kind: Kind) -> KeySpec {
    KeySpec {
        name,
        section_only: true,
        kind,
    }
}

/// Every key the front matter accepts: the one list the checks, the messages and the
/// reading (`front_matter`'s `Raw`) follow.
pub const KEYS: [KeySpec; 17] = [
    key("title", Kind::Text),
    key("description", Kind::Text),
    key("date", Kind::Date),
    key("updated", Kind::Date),
    key("draft", Kind::Flag),
    key("weight", Kind::Number),
    key("tags", Kind::List),
    key("aliases", Kind::List),
    key("template", Kind::Text),
    key("summary", Kind::Text),
    key("extra", Kind::Map),
    key("standar_pelayanan", Kind::Other),
    key("status_terjemahan", Kind::Other),
    section_key("sort_by", Kind::Other),
    section_key("paginate_by", Kind::Number),
    section_key("feed", Kind::Flag),
    section_key("page_template", Kind::Text),
];

/// Indonesian names an editor may write for a key, with the key itself: the keys are
/// English (as in Hugo and Zola, so a theme or a guide from elsewhere reads the same).
const INDONESIAN: [(&str, &str); 24] = [
    ("judul", "title"),
    ("deskripsi", "description"),
    ("keterangan", "description"),
    ("tanggal", "date"),
    ("tgl", "date"),
    ("diperbarui", "updated"),
    ("tanggal_diperbarui", "updated"),
    ("diubah", "updated"),
    ("draf", "draft"),
    ("konsep", "draft"),
    ("bobot", "weight"),
    ("urutan", "weight"),
    ("label", "tags"),
    ("topik", "tags"),
    ("kata_kunci", "tags"),
    ("alias", "aliases"),
    ("alamat_lama", "aliases"),
    ("templat", "template"),
    ("tampilan", "template"),
    ("ringkasan", "summary"),
    ("tambahan", "extra"),
    ("urutkan", "sort_by"),
    ("per_halaman", "paginate_by"),
    ("templat_halaman", "page_template"),
];

/// The key an Indonesian name stands for: `judul` → `title`.
pub fn english_key(name: &str) -> Option<&'static str> {
    let name = name.to_lowercase();
    INDONESIAN
        .iter()
        .find(|(id, _)| *id == name)
        .map(|(_, key)| *key)
}

/// The kind of value of the key `name`, when it is one.
pub fn kind_of(name: &str) -> Option<Kind> {
    KEYS.iter().find(|k| k.name == name).map(|k| k.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indonesian_name_stands_for_a_key_and_is_not_one() {
        for (indonesian, key) in INDONESIAN {
            assert!(
                kind_of(key).is_some(),
                "`{indonesian}` → `{key}`, not a key"
            );
            assert!(
                kind_of(indonesian).is_none(),
                "`{indonesian}` is itself a key"
            );
        }
        assert_eq!(english_key("Judul"), Some("title"));
        assert_eq!(english_key("title"), None);
    }
}
