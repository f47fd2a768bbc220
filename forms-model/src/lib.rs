//! The form model of the KPU Provinsi NTB portal, shared by the generator and the form
//! function: a form's definition ([`schema`]), the HTML form ([`render`]), what a citizen
//! posts ([`submission`]) and the rules it must meet ([`validate`]), the words around them in
//! both languages ([`lang`]), and the small things both programs need the same way: days in
//! WITA and the clock ([`calendar`]), HTML escaping, hashes, media types and the site's form
//! settings. No network, no mail, no async runtime.

pub mod calendar;
pub mod content_type;
pub mod hash;
pub mod holidays;
pub mod html;
pub mod lang;
pub mod media;
pub mod performance;
pub mod render;
pub mod schema;
pub mod settings;
pub mod submission;
pub mod validate;
