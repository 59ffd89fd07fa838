@orange-lab-v0
Feature: Orange lab Device Reachability Status sandbox, v0 - Operation getReachabilityStatus: errors
  # The Orange lab documents 400 INVALID_ARGUMENT for invalid input, 500 INTERNAL_SERVER_ERROR for
  # a number the lab does not manage (a known deviation from CAMARA, which answers 404), and
  # 401 UNAUTHENTICATED / 403 PERMISSION_DENIED for token problems. Where it is silent, the
  # codes of device-reachability-status v0.6.0 apply (415, 422, 503).
  #
  # Testing assets (target file [devices], [auth] and [provider]): unknown, unsupported_identifiers,
  # expired_token_env, revocation_url, no_scope_scope, network_error_header

  Background: Common getReachabilityStatus setup
    Given the resource "{api-root}/camara/orange-lab/device-reachability-status/v0/retrieve" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token
    And the header "x-correlator" is set to a UUID value
    And the request body is set by default to a request body compliant with the schema "#/components/schemas/RequestReachabilityStatus"

  @reachability_v0_10_malformed_phone_number
  Scenario Outline: A phone number that breaks the E.164 pattern is an invalid argument (<case>)
    Required by: Orange lab page §Summary of request body parameters
    Required by: Orange lab page §Most frequent errors
    Required by: OAS v0.6.0 #/components/schemas/PhoneNumber
    Given the request body property "$.device" is set to: {}
    And the request body property "$.device.phoneNumber" is set to "<phone_number>"
    When the request "getReachabilityStatus" is sent
    Then the response status code is 400
    And the response header "Content-Type" is "application/json"
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 400
    And the response property "$.code" is "INVALID_ARGUMENT"
    And the response property "$.message" contains a user friendly text

    Examples:
      | case          | phone_number         |
      | missing plus  | 33699901031          |
      | too short     | +3369                |
      | too long      | +3369990103112345678 |
      | a letter      | +33699A01031         |
      | leading zero  | +03699901031         |
      | spaces        | +33 6 99 90 10 31    |
      | empty         |                      |
      | double plus   | ++33699901031        |

  @reachability_v0_16_malformed_ip_address
  Scenario Outline: A malformed IP address or port is an invalid argument (<case>)
    Required by: Orange lab page §Most frequent errors
    Required by: OAS v0.6.0 #/components/schemas/DeviceIpv4Addr
    Required by: OAS v0.6.0 #/components/schemas/Port
    Required by: OAS v0.6.0 #/components/schemas/DeviceIpv6Address
    Given the request body is set to:
      """
      <body>
      """
    When the request "getReachabilityStatus" is sent
    Then the response status code is 400
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.code" is "INVALID_ARGUMENT"

    Examples:
      | case              | body                                                                          |
      | ipv4 out of range | {"device": {"ipv4Address": {"publicAddress": "256.1.1.1", "publicPort": 80}}} |
      | ipv4 without port | {"device": {"ipv4Address": {"publicAddress": "84.125.93.10"}}}                |
      | port above 65535  | {"device": {"ipv4Address": {"publicAddress": "84.125.93.10", "publicPort": 70000}}} |
      | port as text      | {"device": {"ipv4Address": {"publicAddress": "84.125.93.10", "publicPort": "80"}}}  |
      | ipv6 malformed    | {"device": {"ipv6Address": "2001:db8::85a3::7344"}}                           |

  @reachability_v0_17_wrong_json_types
  Scenario Outline: A body with wrong JSON types is an invalid argument (<case>)
    Required by: Orange lab page §Most frequent errors
    Required by: OAS v0.6.0 #/components/schemas/RequestReachabilityStatus
    Given the request body is set to:
      """
      <body>
      """
    When the request "getReachabilityStatus" is sent
    Then the response status code is 400
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.code" is "INVALID_ARGUMENT"

    Examples:
      | case                   | body                                          |
      | device as string       | {"device": "+33699901031"}                    |
      | phone number as number | {"device": {"phoneNumber": 33699901031}}      |
      | body as array          | [{"device": {"phoneNumber": "+33699901031"}}] |

  @reachability_v0_11_invalid_json
  Scenario: A body that is not JSON is an invalid argument
    Required by: Orange lab page §Most frequent errors
    Required by: OAS v0.6.0 #/components/responses/Generic400
    Given the request body is set to the raw text:
      """
      {"device": {"phoneNumber": "+33699901031"
      """
    When the request "getReachabilityStatus" is sent
    Then the response status code is 400
    And the response header "Content-Type" is "application/json"
    And the response property "$.code" is "INVALID_ARGUMENT"

  @reachability_v0_12_unmanaged_number @known_deviation
  Scenario: A number the lab does not manage gets the documented 500
    Required by: Orange lab page §Most frequent errors
    Required by: Orange lab page §Lab implementation specific:
    # Known deviation: CAMARA v1 answers 404 IDENTIFIER_NOT_FOUND here.
    Given the request body property "$.device" is compliant with the schema, but does not identify a device whose connectivity is managed by the API provider
    When the request "getReachabilityStatus" is sent
    Then the response status code is 500
    And the response header "Content-Type" is "application/json"
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 500
    And the response property "$.code" is "INTERNAL_SERVER_ERROR"
    And the response property "$.message" contains a user friendly text

  @reachability_v0_13_unsupported_media_type
  Scenario: A body that is not sent as JSON is refused
    Required by: OAS v0.6.0 #/paths/~1retrieve/post/responses/415
    Required by: OAS v0.6.0 #/components/responses/Generic415
    # The lab documentation is silent; device-reachability-status v0.6.0 documents 415.
    Given the header "Content-Type" is set to "text/plain"
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 415
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 415
    And the response property "$.code" is "UNSUPPORTED_MEDIA_TYPE"

  @reachability_v0_14_missing_device @advisory
  Scenario: Without a device the device cannot be identified
    Required by: OAS v0.6.0 #/info/description §Error handling for unidentifiable devices
    Required by: OAS v0.6.0 #/components/responses/Generic422
    Advisory: OAS v0.6.0 #/info/description §Error handling for unidentifiable devices names 422 UNIDENTIFIABLE_DEVICE when the device cannot be derived from a 3-legged token; for the lab's 2-legged tokens, §Restrictions for tokens without an associated authenticated identifier only says the device "MUST be provided", without naming the error, and the Orange lab page (§Most frequent errors) answers invalid input with 400.
    # The lab documentation is silent; device-reachability-status v0.6.0 documents 422 UNIDENTIFIABLE_DEVICE.
    Given the request body property "$.device" is not included
    When the request "getReachabilityStatus" is sent
    Then the response status code is 422
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 422
    And the response property "$.code" is "UNIDENTIFIABLE_DEVICE"
    And the response property "$.message" contains a user friendly text

  @reachability_v0_15_unsupported_identifier
  Scenario: A device given only by identifiers the lab does not operate is refused
    Required by: Orange lab page §Summary of request body parameters
    Required by: OAS v0.6.0 #/components/responses/Generic422/content/application~1json/examples/GENERIC_422_UNSUPPORTED_DEVICE_IDENTIFIERS
    # Only phoneNumber is operational in the lab; device-reachability-status v0.6.0 documents
    # 422 UNSUPPORTED_DEVICE_IDENTIFIERS for identifiers an implementation does not support.
    Given that some types of device identifiers are not supported by the implementation
    And the request body property "$.device" only includes device identifiers not supported by the implementation
    When the request "getReachabilityStatus" is sent
    Then the response status code is 422
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 422
    And the response property "$.code" is "UNSUPPORTED_DEVICE_IDENTIFIERS"
    And the response property "$.message" contains a user friendly text

  @reachability_v0_20_expired_access_token
  Scenario: An expired access token is not accepted
    Required by: Orange lab page §Most frequent errors
    Required by: OAS v0.6.0 #/components/responses/Generic401
    Given the header "Authorization" is set to an expired access token
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 401
    And the response property "$.code" is "UNAUTHENTICATED"
    And the response property "$.message" contains a user friendly text

  @reachability_v0_21_no_authorization_header
  Scenario: A request without Authorization header is not accepted
    Required by: OAS v0.6.0 #/components/responses/Generic401
    Given the header "Authorization" is removed
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response property "$.status" is 401
    And the response property "$.code" is "UNAUTHENTICATED"

  @reachability_v0_22_malformed_access_token
  Scenario: A malformed access token is not accepted
    Required by: OAS v0.6.0 #/components/responses/Generic401
    Given the header "Authorization" is set to a malformed token
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response header "Content-Type" is "application/json"
    And the response property "$.code" is "UNAUTHENTICATED"

  @reachability_v0_23_revoked_access_token
  Scenario: A revoked access token is not accepted
    Required by: Orange lab page §Most frequent errors
    Required by: OAS v0.6.0 #/components/responses/Generic401
    Given the header "Authorization" is set to a revoked access token
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response property "$.code" is "UNAUTHENTICATED"

  @reachability_v0_24_permission_denied
  Scenario: An access token without the API scope is refused
    Required by: Orange lab page §Most frequent errors
    Required by: OAS v0.6.0 #/components/responses/Generic403
    Given header "Authorization" set to an access token not including scope "device-reachability-status:read"
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 403
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 403
    And the response property "$.code" is "PERMISSION_DENIED"
    And the response property "$.message" contains a user friendly text

  @reachability_v0_26_wrong_scheme
  Scenario: A valid access token under another authorization scheme is not accepted
    Required by: OAS v0.6.0 #/components/securitySchemes/openId
    Required by: RFC 6750 §3.1

    Given the header "Authorization" is set to a valid access token under another authorization scheme
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response property "$.code" is "UNAUTHENTICATED"

  @reachability_v0_27_unissued_access_token
  Scenario: A well-formed access token the server never issued is not accepted
    Required by: OAS v0.6.0 #/components/securitySchemes/openId
    Required by: RFC 6750 §3.1

    Given the header "Authorization" is set to a well-formed access token the server never issued
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response property "$.code" is "UNAUTHENTICATED"

  @reachability_v0_25_network_error
  Scenario: A network error that prevents the status from being retrieved is a 503
    Required by: OAS v0.6.0 #/components/responses/Generic503
    # Provider-only: needs the provider's test hook (provider.network_error_header).
    # device-reachability-status v0.6.0 documents 503 UNAVAILABLE.
    Given the device has data connectivity and is supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    And a network error prevents the device reachability status from being retrieved
    Then the response status code is 503
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 503
    And the response property "$.code" is "UNAVAILABLE"
    And the response property "$.message" contains a user friendly text
