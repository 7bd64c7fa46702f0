//! Stock data sources on the engine handle: Tushare's "Test connection" and the symbol search
//! used when adding A-shares to the watchlist.

use crate::engine::EngineHandle;
use crate::error::EngineError;
use tw_core::Sensitive;
use tw_feeds::tushare::{self, ConnectionReport, TushareClient};
use tw_store::StockSymbol;

impl EngineHandle {
    /// Tries each Tushare interface the feed uses once with `token` (or the stored one) and
    /// says in words which ones the token's points allow.
    pub async fn test_tushare_connection(
        &self,
        token: Option<Sensitive<String>>,
    ) -> Result<ConnectionReport, EngineError> {
        let token = match token {
            Some(t) => t,
            None => self.0.secrets.get(tushare::SOURCE).await?.ok_or_else(|| {
                EngineError::InvalidInput(tushare::TushareError::NoToken.to_string())
            })?,
        };
        let client = TushareClient::new(
            TushareClient::url_from_env(),
            token,
            self.0.clock.clone(),
            // One test is five calls; a small budget keeps it clear of the feed's.
            20,
        );
        Ok(tushare::test_connection(&client, self.0.clock.now_ms()).await)
    }

    /// A-share symbols whose code, name or pinyin initials match (synced from `stock_basic`).
    pub async fn search_stocks(
        &self,
        query: &str,
        limit: u32,
    ) -> Result<Vec<StockSymbol>, EngineError> {
        Ok(self
            .0
            .store
            .search_stock_symbols(query, limit.clamp(1, 200))
            .await?)
    }
}
