@camara-v1
Feature: CAMARA Device Reachability Status API, v1 - Operation getReachabilityStatus: generated malformed requests
  # Property-based negative cases. Each "When" step generates malformed inputs, one malformation
  # class after the other (at least one case of each class, more when the count allows), checks
  # every input against the built-in request schema so that only really invalid inputs are sent,
  # and sends them one by one. "Then every response ..." checks each answer; on a failure the
  # input is shrunk to the smallest one that still fails, and the message gives the seed.
  #
  # RC_GENERATED_CASES=N replaces the count written in the steps (1 to 1000);
  # RC_SEED=S reproduces the inputs of an earlier run (the seed is printed when a case fails).
  #
  # References to OAS spec schemas refer to schemas specified in device-reachability-status.yaml, v1.0.0

  Background: Common getReachabilityStatus setup
    Given the resource "{api-root}/device-reachability-status/v1/retrieve" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token
    And the header "x-correlator" is set to a UUID value
    And the request body is set by default to a request body compliant with the schema "#/components/schemas/RequestReachabilityStatus"

  @reachability_v1_40_generated_phone_numbers
  Scenario: Generated malformed phone numbers are invalid arguments
    Required by: CAMARA plan v1.0.0 @device_reachability_status_C01.02_device_identifiers_not_schema_compliant
    Required by: OAS v1.0.0 #/components/schemas/PhoneNumber
    Required by: OAS v1.0.0 #/components/responses/Generic400
    When 50 requests with a generated malformed phone number are sent
    Then every response status code is 400
    And every response property "$.code" is "INVALID_ARGUMENT"
    And every response body complies with the OAS schema for this operation and status code

  @reachability_v1_41_generated_device_objects
  Scenario: Generated malformed device objects are invalid arguments
    Required by: CAMARA plan v1.0.0 @device_reachability_status_C01.01_device_empty
    Required by: OAS v1.0.0 #/components/schemas/Device
    Required by: OAS v1.0.0 #/components/responses/Generic400
    When 50 requests with a generated malformed device object are sent
    Then every response status code is 400
    And every response property "$.code" is "INVALID_ARGUMENT"
    And every response body complies with the OAS schema for this operation and status code

  @reachability_v1_42_generated_wrong_json_types
  Scenario: Generated bodies with wrong JSON types are invalid arguments
    Required by: OAS v1.0.0 #/components/schemas/RequestReachabilityStatus
    Required by: OAS v1.0.0 #/components/responses/Generic400
    Required by: CAMARA API-Testing-Guidelines §Error scenarios
    When 50 requests with a generated body of wrong JSON types are sent
    Then every response status code is 400
    And every response property "$.code" is "INVALID_ARGUMENT"
    And every response body complies with the OAS schema for this operation and status code

  @reachability_v1_43_generated_correlators @advisory
  Scenario: Generated malformed x-correlator headers are invalid arguments
    Required by: OAS v1.0.0 #/components/parameters/x-correlator
    Required by: OAS v1.0.0 #/components/responses/Generic400
    Advisory: OAS v1.0.0 #/components/parameters/x-correlator gives the header a pattern, but no document of the set says how a server answers a header that breaks it (API-Testing-Guidelines §Error scenarios asks for 400 tests of the request body only); 400 INVALID_ARGUMENT is the CAMARA convention, not a stated requirement.
    When 50 requests with a generated malformed x-correlator are sent
    Then every response status code is 400
    And every response property "$.code" is "INVALID_ARGUMENT"
    And every response body complies with the OAS schema for this operation and status code

  @reachability_v1_44_each_body_requirement_broken
  Scenario: A body that breaks any one requirement of the request schema is an invalid argument
    Required by: OAS v1.0.0 #/components/schemas/RequestReachabilityStatus
    Required by: OAS v1.0.0 #/components/responses/Generic400

    # One request per requirement derived from the schema: not JSON at all, null, each
    # property of the wrong type, each pattern, format and range broken, each required
    # member or set missing (`list` shows them).
    When a request breaking each requirement of the request body schema is sent
    Then every response status code is 400
    And every response property "$.code" is "INVALID_ARGUMENT"
    And every response body complies with the OAS schema for this operation and status code
