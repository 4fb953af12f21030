//! QR codes of links, as SVG, for a trainer's screen or printout and a worker's phone.
//!
//! Error correction level M (15 % of the symbol may be lost): links are shown on screens and
//! printed on handouts, where M is the usual choice; level L would make a long receipt link a
//! few versions smaller but leaves little margin for a glare or a crease.
//!
//! The SVG is built only from the QR matrix (rectangles and fixed colours), never from the
//! input text, so a link made by a stranger cannot inject markup through it.

use qrcode::render::svg;
use qrcode::types::QrError as Fault;
use qrcode::{EcLevel, QrCode, Version};

/// The smallest width and height of the SVG, in pixels (the quiet zone included).
pub const QR_MIN_PIXELS: u32 = 240;

const LEVEL: EcLevel = EcLevel::M;

/// Why no QR code could be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("没有内容，无法生成二维码")]
    Empty,
    #[error("内容太长（{bytes} 字节），放不进一个二维码：请复制链接发送")]
    TooLong { bytes: usize },
    #[error("无法生成二维码：{0}")]
    Other(String),
}

fn code(text: &str) -> Result<QrCode, QrError> {
    if text.is_empty() {
        return Err(QrError::Empty);
    }
    QrCode::with_error_correction_level(text.as_bytes(), LEVEL).map_err(|e| match e {
        Fault::DataTooLong => QrError::TooLong { bytes: text.len() },
        other => QrError::Other(other.to_string()),
    })
}

/// The QR code of `text` as an SVG document: black modules on white, a quiet zone of four
/// modules, at least [`QR_MIN_PIXELS`] pixels square.
///
/// ```
/// let svg = portal::assign::qr_svg("https://dj.example.org/assignment#a=DJA1<b>").unwrap();
/// assert!(svg.contains("<svg") && !svg.contains("<b>") && !svg.contains("DJA1"));
/// assert!(portal::assign::qr_svg("").is_err());
/// ```
pub fn qr_svg(text: &str) -> Result<String, QrError> {
    Ok(code(text)?
        .render::<svg::Color<'_>>()
        .quiet_zone(true)
        .min_dimensions(QR_MIN_PIXELS, QR_MIN_PIXELS)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// The QR version (1–40: the symbol is 17 + 4 × version modules wide) `text` needs, to judge
/// how easy it is to scan: up to about 10 is easy anywhere, above 25 wants a steady hand.
///
/// ```
/// assert_eq!(portal::assign::qr_version("https://dj.example.org"), Ok(2));
/// ```
pub fn qr_version(text: &str) -> Result<u8, QrError> {
    match code(text)?.version() {
        Version::Normal(v) | Version::Micro(v) => {
            u8::try_from(v).map_err(|_| QrError::Other(format!("版本 {v}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_long_is_an_error_not_a_panic() {
        assert_eq!(
            qr_svg(&"a".repeat(3000)),
            Err(QrError::TooLong { bytes: 3000 })
        );
    }

    #[test]
    fn svg_is_square_and_large_enough() {
        let svg = qr_svg("x").unwrap();
        let width: u32 = svg
            .split("width=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert!(width >= QR_MIN_PIXELS, "{width}");
        assert!(svg.contains(&format!("height=\"{width}\"")));
    }
}
