pub mod document_photo;
pub mod mrz_fixtures;
pub mod mrz_photos;
pub mod finder_sets;
