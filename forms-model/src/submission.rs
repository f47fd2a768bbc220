//! What a citizen sent: the fields and files of a form post, parsed from
//! `application/x-www-form-urlencoded` or `multipart/form-data`, within limits.

use crate::lang::{LANG_FIELD, Lang};

/// One uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub field: String,
    /// The file name as sent, reduced to safe characters.
    pub filename: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Submission {
    /// Every text part in the order sent; repeated names (multiple choices) are kept.
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

impl Submission {
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The language of the form page it was sent from (Indonesian unless it says English).
    pub fn lang(&self) -> Lang {
        Lang::from_code(self.value(LANG_FIELD).unwrap_or_default())
    }

    /// Files sent for `name`, with their index in `files`.
    pub fn files_for<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = (usize, &'a Upload)> + 'a {
        self.files
            .iter()
            .enumerate()
            .filter(move |(_, f)| f.field == name)
    }
}

/// Bounds on what one post may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The whole body. Lambda's synchronous payload is 6 MB after base64, about 4.4 MB raw.
    pub body_bytes: usize,
    pub parts: usize,
    pub field_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 4 * 1024 * 1024,
            parts: 300,
            field_bytes: 64 * 1024,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Not a form post (415).
    UnsupportedType,
    /// Over a limit (413), with which limit.
    TooLarge(Limit),
    /// Broken encoding (400), with what is wrong.
    Malformed(String),
}

/// The limit a refused post went over, told to the citizen in the form page's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The whole post, in MB.
    Body(usize),
    /// The number of fields and files.
    Parts(usize),
    /// One text field, in KB.
    Field(usize),
    /// A stream limit of the multipart reader.
    Stream,
}

impl Limit {
    pub fn describe(self, lang: Lang) -> String {
        match (self, lang) {
            (Limit::Body(mb), Lang::Id) => format!("kiriman paling besar {mb} MB"),
            (Limit::Body(mb), Lang::En) => format!("a submission can be {mb} MB at most"),
            (Limit::Parts(n), Lang::Id) => format!("paling banyak {n} isian"),
            (Limit::Parts(n), Lang::En) => format!("{n} answers at most"),
            (Limit::Field(kb), Lang::Id) => format!("satu isian paling panjang {kb} KB"),
            (Limit::Field(kb), Lang::En) => format!("one answer can be {kb} KB at most"),
            (Limit::Stream, Lang::Id) => "kiriman terlalu besar".to_string(),
            (Limit::Stream, Lang::En) => "the submission is too large".to_string(),
        }
    }
}

/// Whether a `Content-Type` is one of the two a form posts with.
pub fn is_form_type(content_type: &str) -> bool {
    matches!(
        mime(content_type).as_str(),
        "application/x-www-form-urlencoded" | "multipart/form-data"
    )
}

fn mime(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Parses a form post by its `Content-Type`.
pub fn parse(content_type: &str, body: &[u8], limits: &Limits) -> Result<Submission, ParseError> {
    if body.len() > limits.body_bytes {
        return Err(ParseError::TooLarge(Limit::Body(
            limits.body_bytes / (1024 * 1024),
        )));
    }
    match mime(content_type).as_str() {
        "application/x-www-form-urlencoded" => urlencoded(body, limits),
        "multipart/form-data" => {
            let boundary = multer::parse_boundary(content_type)
                .map_err(|_| ParseError::Malformed("multipart tanpa boundary".into()))?;
            multipart(body, &boundary, limits)
        }
        _ => Err(ParseError::UnsupportedType),
    }
}

/// Strict `application/x-www-form-urlencoded`: bad percent escapes and invalid UTF-8 are
/// errors, not silently replaced (a citizen's text must arrive as written, or be refused).
pub fn urlencoded(body: &[u8], limits: &Limits) -> Result<Submission, ParseError> {
    let mut submission = Submission::default();
    for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        if submission.fields.len() >= limits.parts {
            return Err(ParseError::TooLarge(Limit::Parts(limits.parts)));
        }
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        let name = decode(name)?;
        let value = decode(value)?;
        if value.len() > limits.field_bytes {
            return Err(ParseError::TooLarge(Limit::Field(
                limits.field_bytes / 1024,
            )));
        }
        submission.fields.push((name, value));
    }
    Ok(submission)
}

fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .ok_or_else(|| ParseError::Malformed("kode persen terpotong".into()))?;
                let text = std::str::from_utf8(hex)
                    .map_err(|_| ParseError::Malformed("kode persen tidak sah".into()))?;
                out.push(
                    u8::from_str_radix(text, 16)
                        .map_err(|_| ParseError::Malformed("kode persen tidak sah".into()))?,
                );
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ParseError::Malformed("teks bukan UTF-8".into()))
}

/// `multipart/form-data`, through multer (a single in-memory chunk; the body is bounded).
pub fn multipart(body: &[u8], boundary: &str, limits: &Limits) -> Result<Submission, ParseError> {
    let chunk = bytes::Bytes::copy_from_slice(body);
    let stream =
        futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(chunk) });
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(limits.body_bytes as u64)
            .per_field(limits.body_bytes as u64),
    );
    let mut multipart = multer::Multipart::with_constraints(stream, boundary, constraints);
    futures_executor::block_on(async {
        let mut submission = Submission::default();
        let mut parts = 0;
        while let Some(field) = multipart.next_field().await.map_err(malformed)? {
            parts += 1;
            if parts > limits.parts {
                return Err(ParseError::TooLarge(Limit::Parts(limits.parts)));
            }
            let name = field.name().unwrap_or_default().to_string();
            let filename = field.file_name().map(safe_filename);
            let data = field.bytes().await.map_err(malformed)?;
            match filename {
                // A file input left empty still sends a part with an empty name and body.
                Some(f) if !(f.is_empty() && data.is_empty()) => submission.files.push(Upload {
                    field: name,
                    filename: f,
                    bytes: data.to_vec(),
                }),
                Some(_) => {}
                None => {
                    if data.len() > limits.field_bytes {
                        return Err(ParseError::TooLarge(Limit::Field(
                            limits.field_bytes / 1024,
                        )));
                    }
                    let text = String::from_utf8(data.to_vec())
                        .map_err(|_| ParseError::Malformed("teks bukan UTF-8".into()))?;
                    submission.fields.push((name, text));
                }
            }
        }
        Ok(submission)
    })
}

fn malformed(err: multer::Error) -> ParseError {
    match err {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            ParseError::TooLarge(Limit::Stream)
        }
        other => ParseError::Malformed(format!("multipart rusak ({other})")),
    }
}

/// Keeps letters, digits, `.`, `-` and `_` of the last path segment; never empty.
pub fn safe_filename(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned
        .trim_start_matches('.')
        .chars()
        .take(100)
        .collect::<String>();
    if cleaned.is_empty() && !name.is_empty() {
        "lampiran".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_urlencoded_bodies_keeping_repeated_names() {
        let s = urlencoded(
            b"nama=Siti+Aminah&cara=melihat&cara=salinan&kota=%4Dataram",
            &Limits::default(),
        )
        .expect("valid");
        assert_eq!(s.value("nama"), Some("Siti Aminah"));
        assert_eq!(s.values("cara"), ["melihat", "salinan"]);
        assert_eq!(s.value("kota"), Some("Mataram"));
    }

    #[test]
    fn refuses_broken_percent_escapes_and_invalid_utf8() {
        for body in [&b"a=%4"[..], b"a=%zz", b"a=%FF%FE"] {
            assert!(
                matches!(
                    urlencoded(body, &Limits::default()),
                    Err(ParseError::Malformed(_))
                ),
                "{body:?}"
            );
        }
    }

    #[test]
    fn parses_multipart_with_a_file_and_skips_an_empty_file_input() {
        let body = b"--X\r\nContent-Disposition: form-data; name=\"nama\"\r\n\r\nBudi\r\n--X\r\nContent-Disposition: form-data; name=\"surat\"; filename=\"../../surat kuasa.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 isi\r\n--X\r\nContent-Disposition: form-data; name=\"lain\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--X--\r\n";
        let s = parse("multipart/form-data; boundary=X", body, &Limits::default()).expect("valid");
        assert_eq!(s.value("nama"), Some("Budi"));
        assert_eq!(s.files.len(), 1);
        assert_eq!(s.files[0].filename, "surat_kuasa.pdf");
        assert_eq!(s.files[0].bytes, b"%PDF-1.4 isi");
    }

    #[test]
    fn classifies_bad_requests() {
        assert_eq!(
            parse("text/plain", b"x", &Limits::default()),
            Err(ParseError::UnsupportedType)
        );
        assert!(matches!(
            parse("multipart/form-data", b"x", &Limits::default()),
            Err(ParseError::Malformed(_))
        ));
        assert!(matches!(
            parse(
                "multipart/form-data; boundary=X",
                b"--X\r\nbroken",
                &Limits::default()
            ),
            Err(ParseError::Malformed(_))
        ));
        let small = Limits {
            body_bytes: 4,
            ..Limits::default()
        };
        assert!(matches!(
            parse("application/x-www-form-urlencoded", b"a=12345", &small),
            Err(ParseError::TooLarge(_))
        ));
    }
}
