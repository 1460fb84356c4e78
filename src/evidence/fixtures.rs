//! Small, valid sample files built in code: for tests, and for the demo case, so neither needs
//! binary files in the repository.

/// A minimal camera JPEG: SOI, an APP1 Exif segment (big-endian TIFF, IFD0 with Make and an
/// Exif IFD holding DateTimeOriginal and OffsetTimeOriginal), EOI.
pub fn jpeg_with_exif(date: &str, offset: Option<&str>) -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2a\0\0\0\x08");
    // IFD0: 2 entries (Make, ExifIFDPointer).
    let ifd0_entries = 2u16;
    let ifd0_len = 2 + 12 * ifd0_entries as u32 + 4;
    let make_off = 8 + ifd0_len;
    let make = b"TestCam\0";
    let exif_ifd_off = make_off + make.len() as u32;
    tiff.extend_from_slice(&ifd0_entries.to_be_bytes());
    tiff.extend_from_slice(&0x010fu16.to_be_bytes());
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend_from_slice(&(make.len() as u32).to_be_bytes());
    tiff.extend_from_slice(&make_off.to_be_bytes());
    tiff.extend_from_slice(&0x8769u16.to_be_bytes());
    tiff.extend_from_slice(&4u16.to_be_bytes());
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&exif_ifd_off.to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(make);
    // Exif IFD.
    let n = if offset.is_some() { 2u16 } else { 1 };
    let exif_len = 2 + 12 * n as u32 + 4;
    let date_off = exif_ifd_off + exif_len;
    let mut date_bytes = date.as_bytes().to_vec();
    date_bytes.push(0);
    let offset_off = date_off + date_bytes.len() as u32;
    tiff.extend_from_slice(&n.to_be_bytes());
    tiff.extend_from_slice(&0x9003u16.to_be_bytes());
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend_from_slice(&(date_bytes.len() as u32).to_be_bytes());
    tiff.extend_from_slice(&date_off.to_be_bytes());
    let mut offset_bytes = Vec::new();
    if let Some(o) = offset {
        offset_bytes = o.as_bytes().to_vec();
        offset_bytes.push(0);
        tiff.extend_from_slice(&0x9011u16.to_be_bytes());
        tiff.extend_from_slice(&2u16.to_be_bytes());
        tiff.extend_from_slice(&(offset_bytes.len() as u32).to_be_bytes());
        tiff.extend_from_slice(&offset_off.to_be_bytes());
    }
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(&date_bytes);
    tiff.extend_from_slice(&offset_bytes);

    let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe1];
    let seg_len = (2 + 6 + tiff.len()) as u16;
    jpeg.extend_from_slice(&seg_len.to_be_bytes());
    jpeg.extend_from_slice(b"Exif\0\0");
    jpeg.extend_from_slice(&tiff);
    jpeg.extend_from_slice(&[0xff, 0xd9]);
    jpeg
}
