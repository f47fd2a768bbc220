use super::*;

#[test]
fn urls_come_from_file_and_folder_names() {
    assert_eq!(url_path("_index.md"), "");
    assert_eq!(url_path("layanan/_index.md"), "layanan/");
    assert_eq!(url_path("layanan/paw.md"), "layanan/paw/");
    assert_eq!(
        url_path("berita/Rapat Pleno/index.md"),
        "berita/rapat-pleno/"
    );
    assert_eq!(
        file_out_path("berita/Rapat Pleno/foto 1.jpg"),
        "berita/rapat-pleno/foto 1.jpg"
    );
    assert_eq!(file_out_path("logo.svg"), "logo.svg");
}
