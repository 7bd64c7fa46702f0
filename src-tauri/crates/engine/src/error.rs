use tw_analytics::rules::RuleError;
use tw_core::ipc::{ApiError, ErrorCode};
use tw_os::SecretError;
use tw_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("invalid rule: {0}")]
    InvalidRule(#[from] RuleError),
    #[error("{0}")]
    InvalidInput(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("the engine has stopped")]
    Stopped,
}

impl EngineError {
    /// The one error shape that crosses IPC: a code to branch on, words to show.
    pub fn to_api(&self) -> ApiError {
        let code = match self {
            EngineError::InvalidRule(_) => ErrorCode::InvalidRule,
            EngineError::InvalidInput(_) => ErrorCode::InvalidInput,
            EngineError::Store(StoreError::NotFound(_)) => ErrorCode::NotFound,
            EngineError::Store(_) => ErrorCode::Storage,
            EngineError::Secret(SecretError::InvalidSource(_)) => ErrorCode::InvalidInput,
            EngineError::Secret(_) => ErrorCode::KeyringUnavailable,
            EngineError::Stopped => ErrorCode::Internal,
        };
        ApiError::new(code, self.to_string())
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        e.to_api()
    }
}
