//! Pinyin initials of a stock name, for the watchlist search (平安银行 → `PAYH`).

use pinyin::ToPinyin;

/// Upper-case initials of the Chinese characters; Latin letters and digits are kept (万科A →
/// `WKA`), everything else is dropped.
pub fn initials(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    'outer: while !rest.is_empty() {
        for (word, init) in PHRASES {
            if let Some(r) = rest.strip_prefix(word) {
                out.push_str(init);
                rest = r;
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or_default();
        push_char(&mut out, c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Characters with several readings whose reading in stock names differs from the most
/// common one (行 is xíng alone but háng in 银行).
const PHRASES: [(&str, &str); 12] = [
    ("银行", "YH"),
    ("行业", "HY"),
    ("重庆", "CQ"),
    ("重工", "ZG"),
    ("厦门", "XM"),
    ("长城", "CC"),
    ("长江", "CJ"),
    ("长安", "CA"),
    ("长春", "CC"),
    ("长沙", "CS"),
    ("西藏", "XZ"),
    ("音乐", "YY"),
];

fn push_char(out: &mut String, c: char) {
    let one = c.to_string();
    for (c, py) in one.chars().zip(one.as_str().to_pinyin()) {
        match py {
            Some(p) => out.push_str(&p.first_letter().to_ascii_uppercase()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_uppercase()),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_of_real_names() {
        assert_eq!(initials("平安银行"), "PAYH");
        assert_eq!(initials("万科A"), "WKA");
        assert_eq!(initials("*ST国农"), "STGN");
        assert_eq!(initials("神州高铁"), "SZGT");
        assert_eq!(initials("招商银行"), "ZSYH");
        assert_eq!(initials("重庆啤酒"), "CQPJ");
    }
}
