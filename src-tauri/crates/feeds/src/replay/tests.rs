use super::*;
use tw_core::Interval;

#[test]
fn binance_klines_without_header_are_detected() {
    let text = "1651363200000,78.1,78.19,78.02,78.02,4371.65,1651363259999,341398.141,475,2199.54,171804.1319,0\n\
                1651363260000,78.02,78.04,77.88,77.91,100,1651363319999,7800,10,1,1,0\n";
    let rec = parse(text, "LUNAUSDT").unwrap();
    assert_eq!(rec.format, Format::BinanceKlines { header: false });
    assert_eq!(rec.interval, Interval::M1);
    assert_eq!(rec.candles.len(), 2);
    assert_eq!(rec.candles[0].open_time, 1_651_363_200_000);
    assert_eq!(rec.candles[0].quote_volume, 341398.141);
    assert_eq!(rec.candles[0].trades, 475);
    assert_eq!(rec.symbol.as_str(), "replay:LUNAUSDT");
}

#[test]
fn a_bad_line_is_reported_with_line_and_column() {
    let text = "Date,Open,High,Low,Close,Adj Close,Volume\n\
                2020-01-02,1,2,0.5,1.5,1.4,100\n\
                2020-01-03,1,abc,0.5,1.5,1.4,100\n\
                2020-01-06,1,2,0.5,1.5,1.4,100\n\
                2020-01-07,1,2\n";
    let rec = parse(text, "X").unwrap();
    assert_eq!(rec.format, Format::Yahoo);
    assert_eq!(rec.candles.len(), 2, "the good rows are kept");
    assert_eq!(rec.bad_rows.len(), 2);
    let b = &rec.bad_rows[0];
    assert_eq!((b.line, b.column, b.column_name.as_str()), (3, 3, "High"));
    assert_eq!(
        b.to_string(),
        "line 3, column 3 (High): \"abc\" is not a number"
    );
    assert_eq!((rec.bad_rows[1].line, rec.bad_rows[1].column), (5, 4));
    assert!(
        rec.bad_rows[1].reason.contains("missing"),
        "{}",
        rec.bad_rows[1]
    );
}

#[test]
fn newest_first_files_and_last_for_close_play_oldest_first() {
    let text = "Time,Open,High,Low,Last,Change,Volume\n\
                3/11/2020,0.0094,0.0095,0.0094,0.0095,0.0001,1769\n\
                3/10/2020,0.0093,0.0094,0.0093,0.0094,0.0001,1500\n\
                3/9/2020,0.0092,0.0093,0.0092,0.0093,0.0001,1400\n";
    let rec = parse(text, "JPY").unwrap();
    assert_eq!(rec.interval, Interval::D1);
    let closes: Vec<f64> = rec.candles.iter().map(|c| c.close).collect();
    assert_eq!(closes, vec![0.0093, 0.0094, 0.0095]);
}

#[test]
fn unknown_layouts_and_odd_intervals_are_refused_in_words() {
    let e = parse("a,b,c\n1,2,3\n", "X").unwrap_err();
    assert!(matches!(e, ReplayError::UnknownFormat { .. }), "{e}");
    let text = "date,open,high,low,close,volume\n\
                2020-01-01T00:00:00Z,1,1,1,1,1\n\
                2020-01-01T00:30:00Z,1,1,1,1,1\n\
                2020-01-01T01:00:00Z,1,1,1,1,1\n";
    let e = parse(text, "X").unwrap_err();
    assert_eq!(
        e.to_string(),
        "the bars are 30m apart; Tickwarden plays bars of 1m, 5m, 15m, 1h, 4h or 1d"
    );
    assert!(matches!(parse("", "X"), Err(ReplayError::Empty)));
}

#[test]
fn times_in_every_recorded_shape() {
    let day = 1_577_836_800_000; // 2020-01-01
    for s in [
        "2020-01-01",
        "1/1/2020",
        "20200101",
        "1577836800",
        "1577836800000",
        "1577836800000000",
        "2020-01-01T00:00:00.000Z",
        "2020-01-01 00:00:00+00:00",
        "2020-01-01 00:00:00.000000",
        "2020-01-01 12-AM",
    ] {
        assert_eq!(super::parse::parse_time_for_test(s), Some(day), "{s}");
    }
    assert_eq!(super::parse::parse_time_for_test("yesterday"), None);
}
