//! The built web app: files from `dist_dir` (pre-compressed `.br`/`.gz` when the
//! browser accepts them), `index.html` for every other path so client-side
//! routes such as `/admin/seats` load the app, and cache headers that let
//! browsers keep hashed assets forever but always revalidate `index.html`.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};

/// The router serving the web app from `dist_dir`, or a plain 503 page when
/// the app has not been built (the API keeps working either way).
pub fn router(dist_dir: &Path) -> Router {
    let index = dist_dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(dist = %dist_dir.display(), "the web app is not built; serving a notice instead");
        return Router::new().fallback(not_built);
    }
    let files = ServeDir::new(dist_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(index));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
}

async fn not_built() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Navsync's web app has not been built yet. Run `cargo xtask run` to build and start it.\n",
    )
        .into_response()
}

async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let value = if is_html {
        // index.html names the current hashed assets: always revalidate it.
        Some("no-cache")
    } else if hashed && response.status().is_success() {
        Some("public, max-age=31536000, immutable")
    } else {
        None
    };
    if let Some(value) = value {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// True for file names carrying a content hash from Trunk, such as
/// `navsync-0123456789abcdef_bg.wasm` or `style-0123456789abcdef.css`: a `-`
/// followed by at least 16 hex digits.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.match_indices('-').any(|(i, _)| {
        name[i + 1..]
            .bytes()
            .take_while(u8::is_ascii_hexdigit)
            .count()
            >= 16
    })
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn hashed_asset_names() {
        assert!(is_hashed_asset("/navsync-0123456789abcdef.wasm"));
        assert!(is_hashed_asset("/navsync-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/style-a1b2c3d4e5f60718.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/favicon.ico"));
        assert!(!is_hashed_asset("/admin/seats"));
        assert!(!is_hashed_asset("/my-file-abc.js"));
        assert!(!is_hashed_asset("/a-0123456789abcdef/file.js"));
    }
}
