pub mod document_photo;
