export type IdCaptureErrorCode =
  | "invalid_config" | "invalid_person"
  | "no_qr_code_found" | "not_an_hms_card" | "invalid_pixels" | "camera_denied" | "camera_unavailable"
  | "image_too_large" | "image_corrupt" | "image_unsupported" | "image_empty" | "no_document_found" | "byte_budget_unreachable"
  | "no_mrz_found" | "mrz_invalid" | "mrz_checks_failed"
  | "vipps_cancelled" | "vipps_provider_error" | "vipps_state_missing" | "vipps_state_mismatch" | "vipps_flow_missing"
  | "vipps_flow_expired" | "vipps_issuer_mismatch" | "vipps_code_missing" | "vipps_callback_invalid"
  | "registry_unavailable" | "registry_rejected" | "unknown_hms_card" | "hms_card_not_valid"
  | "vipps_exchange_failed" | "vipps_invalid_token" | "idempotency_conflict"
  | "internal";
