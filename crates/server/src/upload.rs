//! Reading a `multipart/form-data` upload (the training CSV import, channel images): the
//! text fields, and the one file field called `file`. Each route sets its own body limit.

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Request};

use crate::AppState;
use crate::error::AppError;

/// A form with one file.
#[derive(Debug, Default)]
pub struct Upload {
    fields: HashMap<String, String>,
    /// The file's name as the browser gave it, and its bytes; `None` when no file was chosen.
    pub file: Option<(String, Vec<u8>)>,
}

impl Upload {
    pub async fn read(request: Request, state: &AppState) -> Result<Upload, AppError> {
        let mut multipart = Multipart::from_request(request, state).await.map_err(|e| {
            AppError::BadRequest(format!(
                "send the form as multipart/form-data: {}",
                e.body_text()
            ))
        })?;
        let unreadable = |e: axum::extract::multipart::MultipartError| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge
            } else {
                AppError::BadRequest(format!("the upload could not be read: {}", e.body_text()))
            }
        };
        let mut upload = Upload::default();
        while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field.bytes().await.map_err(unreadable)?;
            if name == "file" {
                // A file input left empty still sends the field, with no name and no bytes.
                if !bytes.is_empty() || file_name.as_deref().is_some_and(|n| !n.is_empty()) {
                    upload.file = Some((file_name.unwrap_or_default(), bytes.to_vec()));
                }
            } else {
                upload
                    .fields
                    .insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        Ok(upload)
    }

    /// A text field, trimmed; empty when absent.
    pub fn field(&self, name: &str) -> String {
        self.fields
            .get(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    }
}
