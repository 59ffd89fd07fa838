@camara-v1
Feature: CAMARA Device Reachability Status API, v1 - Operation getReachabilityStatus: device identification errors
  # Input to be provided by the implementation to the tester
  #
  # Implementation indications:
  # * devices.unsupported_identifiers: device identifier types the implementation does not support
  #
  # Testing assets (target file [devices] and [auth]):
  # * unknown: a schema-valid device the implementation does not manage
  # * mismatch: identifiers of two different valid devices
  # * not_applicable: a device for which the service is not applicable
  # * auth.ciba_url and auth.device_login_hint: a three-legged token identifying a device
  #
  # References to OAS spec schemas refer to schemas specified in device-reachability-status.yaml, v1.0.0

  Background: Common getReachabilityStatus setup
    Given the resource "{api-root}/device-reachability-status/v1/retrieve" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token
    And the header "x-correlator" is set to a UUID value
    And the request body is set by default to a request body compliant with the schema "#/components/schemas/RequestReachabilityStatus"

  @reachability_v1_10_device_empty
  Scenario: An empty device object is an invalid argument
    Required by: CAMARA plan v1.0.0 @device_reachability_status_C01.01_device_empty
    Required by: OAS v1.0.0 #/components/schemas/Device
    Required by: OAS v1.0.0 #/components/responses/Generic400
    Given the header "Authorization" is set to a valid access token which does not identify a single device
    And the request body property "$.device" is set to: {}
    When the request "getReachabilityStatus" is sent
    Then the response status code is 400
    And the response header "Content-Type" is "application/json"
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 400
    And the response property "$.code" is "INVALID_ARGUMENT"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_11_device_not_found
  Scenario: A schema-valid device the provider does not manage is not found
    Required by: CAMARA plan v1.0.0 @device_reachability_status_C01.03_device_not_found
    Required by: OAS v1.0.0 #/components/responses/Generic404
    Given the header "Authorization" is set to a valid access token which does not identify a single device
    And the request body property "$.device" is compliant with the schema, but does not identify a device whose connectivity is managed by the API provider
    When the request "getReachabilityStatus" is sent
    Then the response status code is 404
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 404
    And the response property "$.code" is "IDENTIFIER_NOT_FOUND"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_12_unnecessary_device
  Scenario: A device in the body is unnecessary when the access token identifies one
    Required by: CAMARA plan v1.0.0 @device_reachability_status_C01.04_unnecessary_device
    Required by: OAS v1.0.0 #/info/description §Identifying the device from the access token
    Required by: OAS v1.0.0 #/components/responses/Generic422
    Given the header "Authorization" is set to a valid access token identifying a device
    And the request body property "$.device" is set to a valid device, which may or may not be the same device that is identified by the access token
    When the request "getReachabilityStatus" is sent
    Then the response status code is 422
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 422
    And the response property "$.code" is "UNNECESSARY_IDENTIFIER"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_13_device_from_token
  Scenario: A three-legged token alone identifies the device
    Required by: OAS v1.0.0 #/info/description §Identifying the device from the access token
    Required by: OAS v1.0.0 #/paths/~1retrieve/post/responses/200
    Given the header "Authorization" is set to a valid access token identifying a device
    And the request body property "$.device" is not included
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema at "#/components/schemas/ReachabilityStatusResponse"

  @reachability_v1_19_no_device_echo_for_token @camara-v1.1 @camara-v1.2-rc
  Scenario: A device identified by the token is not named in the answer
    Required by: OAS v1.1.0 #/components/schemas/DeviceResponse
    Given the header "Authorization" is set to a valid access token identifying a device
    And the request body property "$.device" is not included
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response property "$.device" does not exist

  @reachability_v1_14_missing_device
  Scenario: Without a device and with a two-legged token the device is missing
    Required by: CAMARA plan v1.0.0 @device_reachability_status_C01.05_missing_device
    Required by: OAS v1.0.0 #/info/description §Identifying the device from the access token
    Required by: OAS v1.0.0 #/components/responses/Generic422
    Given the header "Authorization" is set to a valid access token which does not identify a single device
    And the request body property "$.device" is not included
    When the request "getReachabilityStatus" is sent
    Then the response status code is 422
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 422
    And the response property "$.code" is "MISSING_IDENTIFIER"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_15_unsupported_identifier
  Scenario: A device given only by unsupported identifier types is refused
    Required by: CAMARA plan v1.0.0 @device_reachability_status_C01.06_unsupported_device
    Required by: OAS v1.0.0 #/components/responses/Generic422
    Given that some types of device identifiers are not supported by the implementation
    And the header "Authorization" is set to a valid access token which does not identify a single device
    And the request body property "$.device" only includes device identifiers not supported by the implementation
    When the request "getReachabilityStatus" is sent
    Then the response status code is 422
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 422
    And the response property "$.code" is "UNSUPPORTED_IDENTIFIER"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_16_service_not_applicable
  Scenario: A device for which the service is not applicable is refused
    Required by: CAMARA plan v1.0.0 @device_reachability_status_C01.07_device_not_supported
    Required by: OAS v1.0.0 #/components/responses/Generic422
    Given that the service is not available for all devices commercialized by the API provider
    And a valid device, identified by the token or provided in the request body, for which the service is not applicable
    When the request "getReachabilityStatus" is sent
    Then the response status code is 422
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 422
    And the response property "$.code" is "SERVICE_NOT_APPLICABLE"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_17_identifiers_mismatch @camara-v1.0
  Scenario: Identifiers of two different devices do not match
    Required by: CAMARA plan v1.0.0 @device_reachability_status_C01.08_device_identifiers_mismatch
    Required by: OAS v1.0.0 #/components/responses/Generic422
    Given the header "Authorization" is set to a valid access token which does not identify a single device
    And at least 2 types of device identifiers are supported by the implementation
    And the request body property "$.device" includes several identifiers, each of them identifying a valid but different device
    When the request "getReachabilityStatus" is sent
    Then the response status code is 422
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 422
    And the response property "$.code" is "IDENTIFIER_MISMATCH"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_18_several_identifiers_one_used @camara-v1.1 @camara-v1.2-rc
  Scenario: Identifiers of two different devices give the status of one of them, named in the answer
    Required by: OAS v1.1.0 #/components/schemas/DeviceResponse
    Required by: OAS v1.1.0 #/components/schemas/ReachabilityStatusResponse
    Given the header "Authorization" is set to a valid access token which does not identify a single device
    And at least 2 types of device identifiers are supported by the implementation
    And the request body property "$.device" includes several identifiers, each of them identifying a valid but different device
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response body complies with the OAS schema at "#/components/schemas/ReachabilityStatusResponse"
    And the response property "$.device" holds exactly one of the request's device identifiers
