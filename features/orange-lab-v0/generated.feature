@orange-lab-v0
Feature: Orange lab Device Reachability Status sandbox, v0 - Operation getReachabilityStatus: generated malformed requests
  # Property-based negative cases. Each "When" step generates malformed inputs, one malformation
  # class after the other (at least one case of each class, more when the count allows), checks
  # every input against the built-in request schema so that only really invalid inputs are sent,
  # and sends them one by one. "Then every response ..." checks each answer; on a failure the
  # input is shrunk to the smallest one that still fails, and the message gives the seed.
  #
  # RC_GENERATED_CASES=N replaces the count written in the steps (1 to 1000);
  # RC_SEED=S reproduces the inputs of an earlier run (the seed is printed when a case fails).
  #
  # References to OAS spec schemas refer to the harness's orange-lab-v0 schemas

  Background: Common getReachabilityStatus setup
    Given the resource "{api-root}/camara/orange-lab/device-reachability-status/v0/retrieve" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token
    And the header "x-correlator" is set to a UUID value
    And the request body is set by default to a request body compliant with the schema "#/components/schemas/RequestReachabilityStatus"

  @reachability_v0_30_generated_phone_numbers
  Scenario: Generated malformed phone numbers are invalid arguments
    Required by: Orange lab page §Most frequent errors
    Required by: OAS v0.6.0 #/components/schemas/PhoneNumber
    When 50 requests with a generated malformed phone number are sent
    Then every response status code is 400
    And every response property "$.code" is "INVALID_ARGUMENT"
    And every response body complies with the OAS schema for this operation and status code

  @reachability_v0_31_generated_device_objects
  Scenario: Generated malformed device objects are invalid arguments
    Required by: Orange lab page §Most frequent errors
    Required by: OAS v0.6.0 #/components/schemas/Device
    When 50 requests with a generated malformed device object are sent
    Then every response status code is 400
    And every response property "$.code" is "INVALID_ARGUMENT"
    And every response body complies with the OAS schema for this operation and status code

  @reachability_v0_32_generated_wrong_json_types
  Scenario: Generated bodies with wrong JSON types are invalid arguments
    Required by: Orange lab page §Most frequent errors
    Required by: OAS v0.6.0 #/components/schemas/RequestReachabilityStatus
    When 50 requests with a generated body of wrong JSON types are sent
    Then every response status code is 400
    And every response property "$.code" is "INVALID_ARGUMENT"
    And every response body complies with the OAS schema for this operation and status code

  @reachability_v0_33_generated_correlators
  Scenario: Generated long or unusual x-correlator values are served and echoed
    Required by: OAS v0.6.0 #/components/parameters/x-correlator
    Required by: OAS v0.6.0 #/components/headers/x-correlator

    # v0.6.0 declares x-correlator as a plain string: a value camara-v1's pattern refuses
    # (more than 55 characters, other characters) is a legal one here.
    Given the device has data connectivity and is supported by the service
    And the request body is set to a valid request body
    When 50 requests with a generated unusual but legal x-correlator are sent
    Then every response status code is 200
    And every response header "x-correlator" has same value as the request header "x-correlator"

  @reachability_v0_34_each_body_requirement_broken
  Scenario: A body that breaks any one requirement of the request schema is an invalid argument
    Required by: OAS v0.6.0 #/components/schemas/RequestReachabilityStatus
    Required by: OAS v0.6.0 #/components/responses/Generic400

    # One request per requirement derived from the schema: not JSON at all, null, each
    # property of the wrong type, each pattern, format and range broken, each required
    # member or set missing (`list` shows them).
    When a request breaking each requirement of the request body schema is sent
    Then every response status code is 400
    And every response property "$.code" is "INVALID_ARGUMENT"
    And every response body complies with the OAS schema for this operation and status code
