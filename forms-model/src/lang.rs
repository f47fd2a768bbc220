//! The language of a form page, which the function's answers follow: Indonesian, or
//! English on the portal's English pages. The page says which in a hidden field. Labels,
//! hints and options come from the form's definition as written; the words around them
//! (messages, headings, the receipt) come from here. The desk's mail stays Indonesian.

use crate::calendar::{Day, MONTHS, MONTHS_EN};

/// The hidden field that carries the form page's language.
pub const LANG_FIELD: &str = "_bahasa";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    /// The language of a form page from the address it posts to: English pages post to
    /// `{endpoint}/en/{id}`. Known before the body is read, so a post refused unread (too
    /// large, of the wrong type, from elsewhere) is still answered in the page's language.
    pub fn of_path(path: &str) -> Lang {
        let mut segments = path.trim_end_matches('/').rsplit('/');
        segments.next();
        Lang::from_code(segments.next().unwrap_or_default())
    }

    pub fn from_code(code: &str) -> Lang {
        match code {
            "en" => Lang::En,
            _ => Lang::Id,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// The Indonesian or the English of a text.
    pub fn pick<T>(self, id: T, en: T) -> T {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }

    /// "12 Februari 2026" / "12 February 2026".
    pub fn date(self, day: Day) -> String {
        let (y, m, d) = day.ymd();
        let months = self.pick(MONTHS, MONTHS_EN);
        format!("{d} {} {y}", months[(m - 1) as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_address_decides_and_indonesian_is_the_default() {
        assert_eq!(Lang::of_path("/api/forms/en/pengaduan"), Lang::En);
        assert_eq!(Lang::of_path("/en/pengaduan/"), Lang::En);
        assert_eq!(Lang::of_path("/api/forms/pengaduan"), Lang::Id);
        assert_eq!(Lang::of_path("/pengaduan"), Lang::Id);
        let day = Day::parse("2026-02-12").expect("day");
        assert_eq!(Lang::Id.date(day), "12 Februari 2026");
        assert_eq!(Lang::En.date(day), "12 February 2026");
    }
}
