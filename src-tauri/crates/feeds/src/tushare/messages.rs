//! Tushare Pro HTTP wire types (see `../shared/data/protocol/tushare/HTTP_API.md`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Every call is a POST of this body to the endpoint's root:
///
/// ```json
/// {"api_name": "daily", "token": "<your token>",
///  "params": {"ts_code": "000001.SZ", "start_date": "20180701", "end_date": "20180718"},
///  "fields": "ts_code,trade_date,open,high,low,close,pre_close,change,pct_chg,vol,amount"}
/// ```
#[derive(Serialize, Debug)]
pub struct Request<'a> {
    pub api_name: &'a str,
    pub token: &'a str,
    pub params: Map<String, Value>,
    /// Comma-separated; `""` asks for the interface's default fields.
    pub fields: &'a str,
}

/// The answer, a table of named columns:
///
/// ```json
/// {"code": 0, "msg": "",
///  "data": {"fields": ["ts_code", "trade_date", "open", …],
///           "items": [["000001.SZ", "20180718", 8.75, …], …]}}
/// ```
/// `code != 0` is an error whose words are in `msg` (for example
/// `{"code": 40203, "msg": "抱歉，您没有访问该接口的权限…", "data": null}`). Some answers also
/// carry `"request_id"`.
#[derive(Deserialize, Debug)]
pub struct Response {
    pub code: i64,
    #[serde(default)]
    pub msg: Option<String>,
    #[serde(default)]
    pub data: Option<Table>,
    #[serde(default)]
    pub request_id: Option<String>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
pub struct Table {
    pub fields: Vec<String>,
    /// Rows of JSON values; `null` marks a value Tushare does not have.
    pub items: Vec<Vec<Value>>,
}
