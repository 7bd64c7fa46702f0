//! Query strings, checked strictly: an unknown, repeated or malformed parameter is refused
//! with its name, so a typo (`limt=5`) never silently means "the default".

use crate::error::HttpError;
use std::collections::BTreeMap;

pub struct Params {
    values: BTreeMap<String, String>,
}

impl Params {
    /// `allowed`: every parameter the route knows.
    pub fn parse(query: Option<&str>, allowed: &[&str]) -> Result<Params, HttpError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
            .map_err(|e| HttpError::bad_param("query", format!("not a valid query string: {e}")))?;
        let mut values = BTreeMap::new();
        for (k, v) in pairs {
            if !allowed.contains(&k.as_str()) {
                let known = if allowed.is_empty() {
                    "this route takes none".to_string()
                } else {
                    format!("known: {}", allowed.join(", "))
                };
                return Err(HttpError::bad_param(
                    &shorten(&k),
                    format!("unknown parameter; {known}"),
                ));
            }
            if values.insert(k.clone(), v).is_some() {
                return Err(HttpError::bad_param(&k, "given more than once"));
            }
        }
        Ok(Params { values })
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn required(&self, name: &str, example: &str) -> Result<&str, HttpError> {
        match self.str(name) {
            Some(v) if !v.trim().is_empty() => Ok(v.trim()),
            Some(_) => Err(HttpError::bad_param(
                name,
                format!("is empty (e.g. {example})"),
            )),
            None => Err(HttpError::bad_param(
                name,
                format!("is required (e.g. {example})"),
            )),
        }
    }

    /// A whole number in `min..=max`, or `default` when absent.
    pub fn u32_in(&self, name: &str, min: u32, max: u32, default: u32) -> Result<u32, HttpError> {
        let Some(raw) = self.str(name) else {
            return Ok(default);
        };
        match raw.trim().parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(HttpError::bad_param(
                name,
                format!(
                    "must be a whole number from {min} to {max}, not {:?}",
                    shorten(raw)
                ),
            )),
        }
    }

    pub fn i64(&self, name: &str, what: &str) -> Result<Option<i64>, HttpError> {
        let Some(raw) = self.str(name) else {
            return Ok(None);
        };
        raw.trim().parse::<i64>().map(Some).map_err(|_| {
            HttpError::bad_param(name, format!("must be {what}, not {:?}", shorten(raw)))
        })
    }

    pub fn finite_f64(&self, name: &str) -> Result<Option<f64>, HttpError> {
        let Some(raw) = self.str(name) else {
            return Ok(None);
        };
        match raw.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(HttpError::bad_param(
                name,
                format!("must be a finite number, not {:?}", shorten(raw)),
            )),
        }
    }
}

/// At most 40 characters of what the client sent go back in a message.
pub fn shorten(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        let head: String = s.chars().take(40).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_repeated_and_malformed_parameters_are_named() {
        let e = Params::parse(Some("limt=5"), &["limit"]).err().unwrap();
        assert!(
            e.message
                .starts_with("limt: unknown parameter; known: limit"),
            "{}",
            e.message
        );
        let e = Params::parse(Some("limit=5&limit=6"), &["limit"])
            .err()
            .unwrap();
        assert_eq!(e.message, "limit: given more than once");
        let p =
            Params::parse(Some("limit=abc&x=1e999&since=-5"), &["limit", "x", "since"]).unwrap();
        let e = p.u32_in("limit", 1, 10, 5).unwrap_err();
        assert!(
            e.message
                .contains("limit: must be a whole number from 1 to 10"),
            "{}",
            e.message
        );
        assert!(p
            .finite_f64("x")
            .unwrap_err()
            .message
            .starts_with("x: must be a finite number"));
        assert_eq!(p.i64("since", "ms").unwrap(), Some(-5));
        let p = Params::parse(None, &["limit"]).unwrap();
        assert_eq!(p.u32_in("limit", 1, 10, 7).unwrap(), 7);
        assert!(p
            .required("symbol", "demo:ALPHA")
            .unwrap_err()
            .message
            .contains("symbol: is required"));
    }
}
