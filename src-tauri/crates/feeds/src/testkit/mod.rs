//! Local stand-ins for outside services, for tests and benchmarks (feature `testkit`, never
//! in the app): real servers on 127.0.0.1 that replay real recorded data.

pub mod binance;
