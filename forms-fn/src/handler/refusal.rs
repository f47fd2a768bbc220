//! Why a request is refused: one type that knows its status, what the log records, and its
//! message (a key of the theme's words, in both languages); the pages turn it into an
//! answer in the page's language.

use http::StatusCode;

use forms_model::lang::Lang;
use forms_model::submission::{Limit, ParseError};
use forms_model::validate::Errors;

use crate::theme::Words;

/// A message of the theme's words (`templates/i18n/*.yaml`, key `fn_...`) with the values
/// of its `{slots}`; it is put in words in the language of the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// The value of a message's slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    /// A limit, described in the answer's language.
    Limit(Limit),
}

impl Message {
    pub fn new(key: &'static str) -> Message {
        Message {
            key,
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: Arg) -> Message {
        self.args.push((name, value));
        self
    }

    /// The message in `lang`.
    pub fn words(&self, words: &Words, lang: Lang) -> String {
        let args: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(text) => text.clone(),
                    Arg::Limit(limit) => limit.describe(lang),
                };
                (*name, value)
            })
            .collect();
        let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        words.fill(lang, self.key, &args)
    }
}

#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    /// The outcome a log line records (`rate_limited`, `stale_form`, ...); `None` for a
    /// request that is simply wrong (no such form, not a form post), which is not logged.
    pub outcome: Option<&'static str>,
    pub message: Message,
    /// Seconds after which trying again may succeed (`Retry-After`).
    pub retry_after: Option<u64>,
    /// Answered with `Allow: POST` (a method other than POST).
    pub post_only: bool,
    /// The answers to correct: the form is shown again with these (422).
    pub errors: Option<Errors>,
}

impl Refusal {
    pub fn new(status: StatusCode, key: &'static str) -> Refusal {
        Refusal::with(status, Message::new(key))
    }

    pub fn with(status: StatusCode, message: Message) -> Refusal {
        Refusal {
            status,
            outcome: None,
            message,
            retry_after: None,
            post_only: false,
            errors: None,
        }
    }

    /// The same refusal, logged with `outcome`.
    pub fn logged(self, outcome: &'static str) -> Refusal {
        Refusal {
            outcome: Some(outcome),
            ..self
        }
    }

    pub fn not_found() -> Refusal {
        Refusal::new(StatusCode::NOT_FOUND, "fn_not_found")
    }

    pub fn not_post() -> Refusal {
        Refusal {
            post_only: true,
            ..Refusal::new(StatusCode::METHOD_NOT_ALLOWED, "fn_not_post")
        }
    }

    pub fn foreign_origin() -> Refusal {
        Refusal::new(StatusCode::FORBIDDEN, "fn_foreign_origin").logged("foreign_origin")
    }

    pub fn too_many(wait: u64) -> Refusal {
        let minutes = wait.div_ceil(60);
        Refusal {
            retry_after: Some(wait),
            ..Refusal::with(
                StatusCode::TOO_MANY_REQUESTS,
                Message::new("fn_too_many").with("minutes", Arg::Text(minutes.to_string())),
            )
            .logged("rate_limited")
        }
    }

    pub fn unsupported() -> Refusal {
        Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "fn_unsupported")
    }

    pub fn too_large(limit: Limit) -> Refusal {
        Refusal::with(
            StatusCode::PAYLOAD_TOO_LARGE,
            Message::new("fn_too_large").with("limit", Arg::Limit(limit)),
        )
    }

    /// A body that could not be parsed.
    pub fn unparsed(err: ParseError) -> Refusal {
        match err {
            ParseError::UnsupportedType => Refusal::unsupported(),
            ParseError::TooLarge(limit) => Refusal::too_large(limit),
            // The detail names the encoding fault in Indonesian; the English answer omits it.
            ParseError::Malformed(what) => Refusal::with(
                StatusCode::BAD_REQUEST,
                Message::new("fn_malformed").with("what", Arg::Text(what)),
            ),
        }
    }

    pub fn stale_form() -> Refusal {
        Refusal::new(StatusCode::CONFLICT, "fn_stale_form").logged("stale_form")
    }

    pub fn unknown_field(name: &str) -> Refusal {
        let name = harmless(name);
        Refusal::with(
            StatusCode::BAD_REQUEST,
            Message::new("fn_unknown_field").with("name", Arg::Text(name)),
        )
        .logged("unknown_field")
    }

    pub fn misplaced_file(name: &str) -> Refusal {
        let name = harmless(name);
        Refusal::with(
            StatusCode::BAD_REQUEST,
            Message::new("fn_misplaced_file").with("name", Arg::Text(name)),
        )
        .logged("misplaced_file")
    }

    /// Answers to correct; logged with how many (never what they were).
    pub fn invalid(errors: Errors) -> Refusal {
        Refusal {
            errors: Some(errors),
            ..Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, "")
        }
    }

    pub fn key_reused() -> Refusal {
        Refusal::new(StatusCode::CONFLICT, "fn_key_reused").logged("key_reused")
    }

    pub fn not_recorded() -> Refusal {
        Refusal::new(StatusCode::SERVICE_UNAVAILABLE, "fn_not_recorded")
    }

    /// A body that could not be read (see [`Unread`]).
    pub fn unread(why: Unread, body_limit_mb: usize) -> Refusal {
        match why {
            Unread::TooLarge => Refusal::too_large(Limit::Body(body_limit_mb)),
            Unread::Slow => Refusal::new(StatusCode::REQUEST_TIMEOUT, "fn_slow"),
            Unread::Busy => Refusal {
                retry_after: Some(60),
                ..Refusal::new(StatusCode::SERVICE_UNAVAILABLE, "fn_busy")
            },
            Unread::Broken => Refusal::new(StatusCode::BAD_REQUEST, "fn_broken"),
        }
    }
}

/// Why a server could not read an admitted request's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// The body did not arrive in time (408).
    Slow,
    /// Too many bodies are being read at once (503, try again shortly).
    Busy,
    /// Longer than the limit, whatever the head said (413).
    TooLarge,
    /// The connection broke off (400).
    Broken,
}

/// Field names come from the request: keep them short and harmless in a message.
fn harmless(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .take(40)
        .collect()
}
