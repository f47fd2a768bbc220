//! Small HTML helpers shared by the form renderer, the function's pages and the emails.

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A whole page answered by the function (receipt, errors, guidance): plain, accessible,
/// with the site's stylesheet when it is known, and an empty icon so the browser does not
/// ask the function for a `/favicon.ico` it does not have.
pub fn page(lang: crate::lang::Lang, title: &str, stylesheet: Option<&str>, body: &str) -> String {
    let css = stylesheet
        .map(|href| format!("<link rel=\"stylesheet\" href=\"{}\">\n", escape(href)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>{} – KPU Provinsi NTB</title>\n<link rel=\"icon\" href=\"data:,\">\n{css}</head>\n<body>\n<main id=\"isi\" class=\"wadah\">\n{body}\n</main>\n</body>\n</html>\n",
        lang.code(),
        escape(title)
    )
}
