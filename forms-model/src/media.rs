//! Uploaded images lose what they say about the citizen beyond their pixels: EXIF (camera,
//! time, GPS position), XMP and comments are removed from JPEG files before the file is
//! stored or mailed. The file is read to its end-of-image marker, scan by scan, so metadata
//! between the scans of a progressive JPEG goes too, and whatever follows the image (the
//! second picture of a phone's multi-picture file, with its own EXIF) is dropped.

/// The JPEG without its APP1–APP15 and COM segments and without anything after its end;
/// `None` when it is not a well-formed JPEG (the caller refuses it rather than pass on
/// metadata it could not remove).
pub fn strip_jpeg_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut i = 2;
    loop {
        // Markers may be padded with extra 0xFF bytes.
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        while bytes.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let marker = *bytes.get(i + 1)?;
        match marker {
            // End of image: done.
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Some(out);
            }
            // Start of scan: its header, then the compressed data up to the next marker
            // (other than a restart marker or a stuffed 0xFF), which the loop reads next.
            0xDA => {
                let length = usize::from(*bytes.get(i + 2)?) << 8 | usize::from(*bytes.get(i + 3)?);
                let data = i + 2 + length;
                let end = scan_end(bytes, data)?;
                out.extend_from_slice(bytes.get(i..end)?);
                i = end;
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                i += 2;
            }
            _ => {
                let length = usize::from(*bytes.get(i + 2)?) << 8 | usize::from(*bytes.get(i + 3)?);
                if length < 2 {
                    return None;
                }
                let end = i + 2 + length;
                let segment = bytes.get(i..end)?;
                let metadata = (0xE1..=0xEF).contains(&marker) || marker == 0xFE;
                if !metadata {
                    out.extend_from_slice(segment);
                }
                i = end;
            }
        }
    }
}

/// Where the entropy-coded data starting at `from` ends: the position of the next marker
/// that is not `0xFF00` (a stuffed byte) or a restart marker. `None` when the file ends first.
fn scan_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    loop {
        if *bytes.get(j)? != 0xFF {
            j += 1;
            continue;
        }
        match *bytes.get(j + 1)? {
            0x00 | 0xD0..=0xD7 => j += 2,
            // A fill byte before a marker: the marker starts at the last 0xFF.
            0xFF => j += 1,
            _ => return Some(j),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
        let len = (body.len() + 2) as u16;
        [&[0xFF, marker][..], &len.to_be_bytes(), body].concat()
    }

    #[test]
    fn removes_exif_gps_xmp_and_comments_and_keeps_the_picture() {
        let jfif = segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let exif = segment(0xE1, b"Exif\0\0MM\0*GPSLatitude -8.58 GPSLongitude 116.1");
        let xmp = segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Mataram</x:xmpmeta>",
        );
        let comment = segment(0xFE, b"Diambil di rumah Ibu Siti");
        let quant = segment(0xDB, &[0u8; 65]);
        let scan = [
            &[0xFF, 0xDA, 0x00, 0x08][..],
            &[1, 2, 3, 4, 5, 6],
            &[0x12, 0x34, 0xFF, 0x00, 0x56],
            &[0xFF, 0xD9],
        ]
        .concat();
        let jpeg = [
            &[0xFF, 0xD8][..],
            &jfif,
            &exif,
            &xmp,
            &comment,
            &quant,
            &scan,
        ]
        .concat();
        let clean = strip_jpeg_metadata(&jpeg).expect("well formed");
        let text = String::from_utf8_lossy(&clean);
        for gone in ["Exif", "GPS", "xmpmeta", "Siti"] {
            assert!(!text.contains(gone), "{gone} left in the file");
        }
        assert_eq!(clean, [&[0xFF, 0xD8][..], &jfif, &quant, &scan].concat());
    }

    #[test]
    fn refuses_what_is_not_a_well_formed_jpeg() {
        assert_eq!(strip_jpeg_metadata(b"%PDF-1.4"), None);
        assert_eq!(
            strip_jpeg_metadata(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00]),
            None,
            "truncated length"
        );
        assert_eq!(
            strip_jpeg_metadata(&[0xFF, 0xD8, 0xFF, 0xE1, 0x10, 0x00, 1, 2]),
            None,
            "segment past the end"
        );
        assert_eq!(strip_jpeg_metadata(&[0xFF, 0xD8, 0x00]), None, "no marker");
    }

    #[test]
    fn drops_a_second_picture_after_the_end_and_metadata_between_scans() {
        let exif = segment(0xE1, b"Exif\0\0MM\0*GPSLatitude -8.58");
        let table = segment(0xC4, &[0u8; 20]);
        let scan = |data: &[u8]| [&[0xFF, 0xDA, 0x00, 0x02][..], data].concat();
        // A progressive picture: a scan, EXIF smuggled before the next scan, restart
        // markers and stuffed bytes inside the data, then a second image after the end.
        let first = [
            &[0xFF, 0xD8][..],
            &table,
            &scan(&[1, 2, 0xFF, 0x00, 3, 0xFF, 0xD0, 4]),
            &exif,
            &table,
            &scan(&[5, 6]),
            &[0xFF, 0xFF, 0xD9],
        ]
        .concat();
        let second = [&[0xFF, 0xD8][..], &exif, &scan(&[7]), &[0xFF, 0xD9]].concat();
        let clean = strip_jpeg_metadata(&[first.as_slice(), &second].concat()).expect("valid");
        assert!(
            !String::from_utf8_lossy(&clean).contains("GPS"),
            "{clean:?}"
        );
        let expected = [
            &[0xFF, 0xD8][..],
            &table,
            &scan(&[1, 2, 0xFF, 0x00, 3, 0xFF, 0xD0, 4]),
            &table,
            &scan(&[5, 6]),
            &[0xFF, 0xFF, 0xD9],
        ]
        .concat();
        assert_eq!(clean, expected);
    }
}
