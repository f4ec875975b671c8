pub mod mrz_fixtures;
