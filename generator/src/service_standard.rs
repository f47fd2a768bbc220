//! The service standard (`standar_pelayanan`) of a service page: the 14 components of
//! UU 25/2009 Pasal 21, typed and validated, with placeholders for facts still to confirm.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};

use crate::dates::Date;
use crate::t;

/// A value, or a marked placeholder `{konfirmasi: "what to confirm"}` for a fact the office
/// has not confirmed yet. Templates see a placeholder as a map with one key, `konfirmasi`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Confirmable<T> {
    Known(T),
    Pending { konfirmasi: String },
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Confirmable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_yaml::Value::deserialize(deserializer)?;
        if let Some(text) = placeholder_text(&value) {
            return Ok(Confirmable::Pending {
                konfirmasi: text.to_string(),
            });
        }
        T::deserialize(value)
            .map(Confirmable::Known)
            .map_err(D::Error::custom)
    }
}

/// The text of `{konfirmasi: "..."}`, if `value` is such a placeholder.
pub fn placeholder_text(value: &serde_yaml::Value) -> Option<&str> {
    let map = value.as_mapping()?;
    if map.len() != 1 {
        return None;
    }
    map.get("konfirmasi")?.as_str()
}

/// The 14 components. The first six are what citizens read and are required; the others
/// are mostly internal ("manufacturing" in PermenPANRB 15/2014) but still published in the
/// printable standard.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceStandard {
    pub persyaratan: Option<Vec<Confirmable<Requirement>>>,
    pub prosedur: Option<Vec<Confirmable<Step>>>,
    pub jangka_waktu: Option<Confirmable<Duration>>,
    pub biaya: Option<Confirmable<Cost>>,
    pub produk: Option<Vec<Confirmable<String>>>,
    pub pengaduan: Option<Vec<Confirmable<String>>>,
    #[serde(default)]
    pub dasar_hukum: Vec<Confirmable<String>>,
    #[serde(default)]
    pub sarana_prasarana: Vec<Confirmable<String>>,
    #[serde(default)]
    pub kompetensi_pelaksana: Vec<Confirmable<String>>,
    #[serde(default)]
    pub pengawasan_internal: Vec<Confirmable<String>>,
    pub jumlah_pelaksana: Option<Confirmable<u32>>,
    pub jaminan_pelayanan: Option<Confirmable<String>>,
    pub jaminan_keamanan: Option<Confirmable<String>>,
    pub evaluasi_kinerja: Option<Confirmable<String>>,
    /// When the office last reviewed this standard, shown as "Ditinjau" (a standard is to be
    /// reviewed periodically; citizens and evaluators should see how current it is).
    pub ditinjau: Option<Confirmable<ReviewDate>>,
    /// When this service is open, where it differs from the office-wide hours in
    /// `site.yaml` (`contact.jam_layanan`): the one place a service's hours are written.
    pub jam_layanan: Option<Confirmable<String>>,
}

/// The 14 components, in the regulation's order of presentation.
pub const KEYS: [&str; 14] = [
    "persyaratan",
    "prosedur",
    "jangka_waktu",
    "biaya",
    "produk",
    "pengaduan",
    "dasar_hukum",
    "sarana_prasarana",
    "kompetensi_pelaksana",
    "pengawasan_internal",
    "jumlah_pelaksana",
    "jaminan_pelayanan",
    "jaminan_keamanan",
    "evaluasi_kinerja",
];

/// The key of the review date, accepted beside the 14 components.
pub const REVIEW_KEY: &str = "ditinjau";

/// The key of the service's own opening hours, accepted beside the 14 components.
pub const HOURS_KEY: &str = "jam_layanan";

/// Every key `standar_pelayanan` accepts: the 14 components, the review date and the
/// service's hours.
pub fn accepted_keys() -> Vec<&'static str> {
    KEYS.iter()
        .copied()
        .chain([REVIEW_KEY, HOURS_KEY])
        .collect()
}

/// The date a standard was last reviewed, as `{iso, teks}` for templates
/// (`2026-02-12`, `12 Februari 2026`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(try_from = "String")]
pub struct ReviewDate {
    pub iso: String,
    pub teks: String,
}

impl TryFrom<String> for ReviewDate {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let date = Date::parse(&text).ok_or_else(|| t!("standard.review_date"))?;
        Ok(ReviewDate {
            iso: date.iso(),
            teks: date.display_id(),
        })
    }
}

impl ServiceStandard {
    /// The user-facing components that are missing (they are required).
    pub fn missing_required(&self) -> Vec<&'static str> {
        let present = [
            self.persyaratan.is_some(),
            self.prosedur.is_some(),
            self.jangka_waktu.is_some(),
            self.biaya.is_some(),
            self.produk.is_some(),
            self.pengaduan.is_some(),
        ];
        KEYS.iter()
            .zip(present)
            .filter(|(_, present)| !present)
            .map(|(key, _)| *key)
            .collect()
    }
}

/// One requirement: `KTP-el pemohon`, or `{nama, keterangan, wajib}`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(try_from = "RawRequirement")]
pub struct Requirement {
    pub nama: String,
    pub keterangan: Option<String>,
    pub wajib: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawRequirement {
    Text(String),
    #[serde(rename_all = "snake_case")]
    Full {
        nama: String,
        keterangan: Option<String>,
        #[serde(default = "yes")]
        wajib: bool,
    },
    Other(serde::de::IgnoredAny),
}

fn yes() -> bool {
    true
}

impl TryFrom<RawRequirement> for Requirement {
    type Error = String;

    fn try_from(raw: RawRequirement) -> Result<Self, Self::Error> {
        Ok(match raw {
            RawRequirement::Other(_) => {
                return Err(t!("standard.requirement"));
            }
            RawRequirement::Text(nama) => Requirement {
                nama,
                keterangan: None,
                wajib: true,
            },
            RawRequirement::Full {
                nama,
                keterangan,
                wajib,
            } => Requirement {
                nama,
                keterangan,
                wajib,
            },
        })
    }
}

/// One step of the procedure: a sentence, or `{langkah, keterangan}`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(try_from = "RawStep")]
pub struct Step {
    pub langkah: String,
    pub keterangan: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawStep {
    Text(String),
    Full {
        langkah: String,
        keterangan: Option<String>,
    },
    Other(serde::de::IgnoredAny),
}

impl TryFrom<RawStep> for Step {
    type Error = String;

    fn try_from(raw: RawStep) -> Result<Self, Self::Error> {
        Ok(match raw {
            RawStep::Other(_) => {
                return Err(t!("standard.step"));
            }
            RawStep::Text(langkah) => Step {
                langkah,
                keterangan: None,
            },
            RawStep::Full {
                langkah,
                keterangan,
            } => Step {
                langkah,
                keterangan,
            },
        })
    }
}

/// How long the service takes: always a number with a unit.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(try_from = "RawDuration")]
pub struct Duration {
    pub nilai: u32,
    pub satuan: Unit,
    /// `hari kerja`
    pub satuan_label: String,
    /// `14 hari kerja`
    pub teks: String,
    pub keterangan: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    HariKerja,
    Hari,
    Jam,
    Menit,
}

impl Unit {
    /// The unit as settings and the theme's labels name it: `hari_kerja`.
    pub fn key(self) -> &'static str {
        match self {
            Unit::HariKerja => "hari_kerja",
            Unit::Hari => "hari",
            Unit::Jam => "jam",
            Unit::Menit => "menit",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Unit::HariKerja => "hari kerja",
            Unit::Hari => "hari",
            Unit::Jam => "jam",
            Unit::Menit => "menit",
        }
    }

    fn from_label(label: &str) -> Option<Unit> {
        match label.trim().to_lowercase().replace('_', " ").as_str() {
            "hari kerja" => Some(Unit::HariKerja),
            "hari" | "hari kalender" => Some(Unit::Hari),
            "jam" => Some(Unit::Jam),
            "menit" => Some(Unit::Menit),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawDuration {
    Text(String),
    Full {
        nilai: u32,
        satuan: Unit,
        keterangan: Option<String>,
    },
    Other(serde::de::IgnoredAny),
}

fn duration_help() -> String {
    t!("standard.duration")
}

impl TryFrom<RawDuration> for Duration {
    type Error = String;

    fn try_from(raw: RawDuration) -> Result<Self, String> {
        let (nilai, satuan, keterangan) = match raw {
            RawDuration::Full {
                nilai,
                satuan,
                keterangan,
            } => (nilai, satuan, keterangan),
            RawDuration::Other(_) => return Err(duration_help()),
            RawDuration::Text(text) => {
                let text = text.trim();
                let digits = text
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(text.len());
                let nilai = text[..digits].parse().map_err(|_| duration_help())?;
                let satuan = Unit::from_label(&text[digits..]).ok_or_else(duration_help)?;
                (nilai, satuan, None)
            }
        };
        if nilai == 0 {
            return Err(duration_help());
        }
        Ok(Duration {
            nilai,
            satuan,
            satuan_label: satuan.label().to_string(),
            teks: format!("{nilai} {}", satuan.label()),
            keterangan,
        })
    }
}

/// What the service costs: `Gratis`, or `{gratis, teks, keterangan}`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(try_from = "RawCost")]
pub struct Cost {
    pub gratis: bool,
    pub teks: String,
    pub keterangan: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawCost {
    Text(String),
    Full {
        gratis: bool,
        teks: Option<String>,
        keterangan: Option<String>,
    },
    Other(serde::de::IgnoredAny),
}

impl TryFrom<RawCost> for Cost {
    type Error = String;

    fn try_from(raw: RawCost) -> Result<Self, Self::Error> {
        Ok(match raw {
            RawCost::Other(_) => {
                return Err(t!("standard.cost"));
            }
            RawCost::Text(teks) => {
                let lower = teks.to_lowercase();
                // "Gratis", "Tidak dipungut biaya"; "Free", "No charge" in an English translation.
                let gratis = ["gratis", "tidak dipungut", "free", "no charge"]
                    .iter()
                    .any(|word| lower.starts_with(word));
                Cost {
                    gratis,
                    teks,
                    keterangan: None,
                }
            }
            RawCost::Full {
                gratis,
                teks,
                keterangan,
            } => Cost {
                gratis,
                teks: teks.unwrap_or_else(|| if gratis { "Gratis" } else { "Berbayar" }.into()),
                keterangan,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<ServiceStandard, String> {
        serde_yaml::from_str(yaml).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_a_duration_written_as_text() {
        let s = parse("jangka_waktu: 14 hari kerja").expect("valid");
        let Some(Confirmable::Known(d)) = s.jangka_waktu else {
            panic!("expected a duration")
        };
        assert_eq!(
            (d.nilai, d.satuan, d.teks.as_str()),
            (14, Unit::HariKerja, "14 hari kerja")
        );
    }

    #[test]
    fn rejects_a_duration_without_a_unit() {
        let err = parse("jangka_waktu: secepatnya").expect_err("no number");
        assert!(err.contains("must be a number with a unit"), "{err}");
        let err = parse("jangka_waktu: 10").expect_err("no unit");
        assert!(err.contains("must be a number with a unit"), "{err}");
    }

    #[test]
    fn accepts_placeholders_anywhere_a_value_goes() {
        let s = parse(
            "jumlah_pelaksana: {konfirmasi: jumlah petugas}\nproduk: [{konfirmasi: nama produk}]",
        )
        .expect("valid");
        assert_eq!(
            s.jumlah_pelaksana,
            Some(Confirmable::Pending {
                konfirmasi: "jumlah petugas".into()
            })
        );
        let json = serde_json::to_string(&s.produk).expect("serializes");
        assert_eq!(json, r#"[{"konfirmasi":"nama produk"}]"#);
    }

    #[test]
    fn lists_the_missing_user_facing_components() {
        let s = parse("persyaratan: [KTP-el]\nbiaya: Gratis").expect("valid");
        assert_eq!(
            s.missing_required(),
            ["prosedur", "jangka_waktu", "produk", "pengaduan"]
        );
        let Some(Confirmable::Known(cost)) = s.biaya else {
            panic!("expected a cost")
        };
        assert!(cost.gratis);
    }

    #[test]
    fn a_free_service_is_recognised_in_both_languages() {
        for (text, free) in [
            ("Gratis", true),
            ("Tidak dipungut biaya", true),
            ("Free", true),
            ("No charge", true),
            ("Rp5.000 per lembar", false),
        ] {
            let s = parse(&format!("biaya: {text}")).expect("valid");
            let Some(Confirmable::Known(cost)) = s.biaya else {
                panic!("expected a cost")
            };
            assert_eq!(cost.gratis, free, "{text}");
        }
    }

    #[test]
    fn review_date_is_checked_and_shown_in_indonesian() {
        let s = parse("ditinjau: 2026-02-12").expect("valid");
        let Some(Confirmable::Known(d)) = s.ditinjau else {
            panic!("expected a date")
        };
        assert_eq!(
            (d.iso.as_str(), d.teks.as_str()),
            ("2026-02-12", "12 Februari 2026")
        );
        let err = parse("ditinjau: 12-02-2026").expect_err("not ISO");
        assert!(err.contains("ditinjau must be a date"), "{err}");
    }

    #[test]
    fn requirement_items_may_be_text_or_detailed() {
        let s = parse("persyaratan: [KTP-el, {nama: Surat kuasa, wajib: false}]").expect("valid");
        let items = s.persyaratan.expect("present");
        assert_eq!(
            items[1],
            Confirmable::Known(Requirement {
                nama: "Surat kuasa".into(),
                keterangan: None,
                wajib: false
            })
        );
    }
}
