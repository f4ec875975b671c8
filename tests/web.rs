//! The JavaScript boundary in headless Chromium (wasm-bindgen-test): errors
//! carry stable codes, people are checked as the core says, and a submission to
//! a registry that is down ends in `registry_unavailable` after retrying.
#![cfg(target_arch = "wasm32")]

use id_capture::web::IdCapture;
use js_sys::{Array, Function, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON parses")
}

fn property(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).unwrap()
}

fn capture(config: &str) -> IdCapture {
    IdCapture::new(Some(js(config).unchecked_into())).unwrap_or_else(|_| panic!("config {config} is valid"))
}

const ANNA: &str = r#"{"given_names":" Anna  Maria ","surname":"Eriksson","date_of_birth":"1974-08-12","nationality":"swe"}"#;

#[wasm_bindgen_test]
fn an_insecure_registry_url_throws_an_id_capture_error_with_code_invalid_config() {
    let error = IdCapture::new(Some(js(r#"{"registryUrl":"http://registry.example"}"#).unchecked_into())).err().expect("refused");
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(property(&error, "name"), "IdCaptureError");
    assert_eq!(property(&error, "code"), "invalid_config");
}

#[wasm_bindgen_test]
fn a_misspelt_option_is_refused_rather_than_ignored() {
    let error = IdCapture::new(Some(js(r#"{"registryURL":"https://registry.example"}"#).unchecked_into())).err().expect("refused");
    assert_eq!(property(&error, "code"), "invalid_config");
}

#[wasm_bindgen_test]
fn check_person_returns_the_normalised_person_as_a_plain_object() {
    let checked: JsValue = capture("{}").check_person(js(ANNA).unchecked_into()).unwrap().into();
    assert_eq!(property(&checked, "given_names"), "Anna Maria");
    assert_eq!(property(&checked, "nationality"), "SWE");
    let keys = js_sys::Object::keys(checked.unchecked_ref::<js_sys::Object>());
    assert_eq!(keys.length(), 4);
}

#[wasm_bindgen_test]
fn check_person_names_the_field_to_correct() {
    let future_birth = r#"{"given_names":"Anna","surname":"Eriksson","date_of_birth":"2999-01-01","nationality":null}"#;
    let error = capture("{}").check_person(js(future_birth).unchecked_into()).err().expect("refused");
    assert_eq!(property(&error, "code"), "invalid_person");
    assert_eq!(property(&error, "field"), "date_of_birth");
    let message = property(&error, "message").as_string().unwrap();
    assert!(!message.contains("2999"), "messages never echo values");
}

#[wasm_bindgen_test]
fn a_person_with_extra_fields_is_refused() {
    let extra = r#"{"given_names":"Anna","surname":"Eriksson","date_of_birth":"1974-08-12","nationality":null,"document_number":"L898902C3"}"#;
    let error = capture("{}").check_person(js(extra).unchecked_into()).err().expect("refused");
    assert_eq!(property(&error, "code"), "invalid_person");
}

#[wasm_bindgen_test]
fn idempotency_keys_are_fresh_version_4_uuids() {
    let first = IdCapture::new_idempotency_key();
    let second = IdCapture::new_idempotency_key();
    assert_ne!(first, second);
    assert_eq!(first.len(), 36);
    assert_eq!(&first[14..15], "4");
}

#[wasm_bindgen_test]
async fn a_registry_that_is_down_ends_in_registry_unavailable_after_every_attempt() {
    // Port 9 on loopback: nothing listens, the connection is refused at once.
    let capture = capture(r#"{"registryUrl":"http://127.0.0.1:9","retry":{"maxAttempts":3,"baseDelayMs":20,"attemptTimeoutMs":2000}}"#);
    let statuses = Array::new();
    let record = Function::new_with_args("status", "this.push(JSON.stringify(status))").bind0(&statuses);
    let options = js(r#"{"source":"typed","correctedByUser":false}"#);
    Reflect::set(&options, &"onStatus".into(), &record).unwrap();
    let promise = wasm_bindgen_futures::future_to_promise(async move {
        capture.submit_document(js(ANNA).unchecked_into(), options.unchecked_into()).await.map(Into::into)
    });
    let error = JsFuture::from(promise).await.err().expect("rejected");
    assert_eq!(property(&error, "code"), "registry_unavailable");
    assert_eq!(property(&error, "attempts"), 3);
    let seen: Vec<String> = statuses.iter().map(|status| status.as_string().unwrap()).collect();
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert!(seen[0].contains(r#""state":"sending""#));
    assert!(seen[1].contains(r#""reason":"unreachable""#));
}

#[wasm_bindgen_test]
async fn an_invalid_person_is_refused_before_anything_is_sent() {
    let capture = capture(r#"{"registryUrl":"http://127.0.0.1:9"}"#);
    let invalid = r#"{"given_names":"Anna","surname":"","date_of_birth":"1974-08-12","nationality":null}"#;
    let promise = wasm_bindgen_futures::future_to_promise(async move {
        capture.submit_document(js(invalid).unchecked_into(), js(r#"{"source":"typed"}"#).unchecked_into()).await.map(Into::into)
    });
    let error = JsFuture::from(promise).await.err().expect("rejected");
    assert_eq!(property(&error, "code"), "invalid_person");
    assert_eq!(property(&error, "field"), "surname");
}
