@camara-v1
Feature: CAMARA Device Reachability Status API, v1 - Operation getReachabilityStatus: authentication and authorisation
  # Testing assets (target file [auth] and [provider]):
  # * expired_token_env: an access token whose lifetime has ended
  # * revocation_url: where the harness revokes a fresh token (RFC 7009) before using it
  # * no_scope_scope: a scope that yields a token without device-reachability-status:read
  # * provider.network_error_header: the provider's test hook that simulates a network error
  #
  # References to OAS spec schemas refer to schemas specified in device-reachability-status.yaml, v1.0.0

  Background: Common getReachabilityStatus setup
    Given the resource "{api-root}/device-reachability-status/v1/retrieve" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token
    And the header "x-correlator" is set to a UUID value
    And the request body is set by default to a request body compliant with the schema "#/components/schemas/RequestReachabilityStatus"

  @reachability_v1_30_expired_access_token
  Scenario: An expired access token is not accepted
    Required by: CAMARA plan v1.0.0 @device_reachability_status_401.1_expired_access_token
    Required by: OAS v1.0.0 #/components/responses/Generic401
    Given the header "Authorization" is set to an expired access token
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 401
    And the response property "$.code" is "UNAUTHENTICATED" or "AUTHENTICATION_REQUIRED"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_31_no_authorization_header
  Scenario: A request without Authorization header is not accepted
    Required by: CAMARA plan v1.0.0 @device_reachability_status_401.2_no_authorization_header
    Required by: OAS v1.0.0 #/components/responses/Generic401
    Given the header "Authorization" is removed
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 401
    And the response property "$.code" is "UNAUTHENTICATED" or "AUTHENTICATION_REQUIRED"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_32_malformed_access_token
  Scenario: A malformed access token is not accepted
    Required by: CAMARA plan v1.0.0 @device_reachability_status_401.3_malformed_access_token
    Required by: OAS v1.0.0 #/components/responses/Generic401
    Given the header "Authorization" is set to a malformed token
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response header "Content-Type" is "application/json"
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 401
    And the response property "$.code" is "UNAUTHENTICATED" or "AUTHENTICATION_REQUIRED"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_33_revoked_access_token
  Scenario: A revoked access token is not accepted
    Required by: OAS v1.0.0 #/components/responses/Generic401
    Required by: RFC 7009 §2
    Required by: RFC 6750 §3.1
    Given the header "Authorization" is set to a revoked access token
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 401
    And the response property "$.code" is "UNAUTHENTICATED" or "AUTHENTICATION_REQUIRED"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_34_permission_denied
  Scenario: An access token without the API scope is refused
    Required by: CAMARA plan v1.0.0 @device_reachability_status_403_permission_denied
    Required by: OAS v1.0.0 #/paths/~1retrieve/post/security
    Required by: OAS v1.0.0 #/components/responses/Generic403
    Given header "Authorization" set to an access token not including scope "device-reachability-status:read"
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 403
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 403
    And the response property "$.code" is "PERMISSION_DENIED"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_36_wrong_scheme
  Scenario: A valid access token under another authorization scheme is not accepted
    Required by: OAS v1.0.0 #/components/securitySchemes/openId
    Required by: RFC 6750 §3.1

    Given the header "Authorization" is set to a valid access token under another authorization scheme
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 401
    And the response property "$.code" is "UNAUTHENTICATED" or "AUTHENTICATION_REQUIRED"

  @reachability_v1_37_unissued_access_token
  Scenario: A well-formed access token the server never issued is not accepted
    Required by: OAS v1.0.0 #/components/securitySchemes/openId
    Required by: RFC 6750 §3.1

    Given the header "Authorization" is set to a well-formed access token the server never issued
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 401
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 401
    And the response property "$.code" is "UNAUTHENTICATED" or "AUTHENTICATION_REQUIRED"

  @reachability_v1_38_token_bound_to_another_device
  Scenario: A token bound to one device does not serve another device named in the body
    Required by: OAS v1.0.0 #/info/description §Identifying the device from the access token
    Required by: OAS v1.0.0 #/components/responses/Generic422

    Given the header "Authorization" is set to a valid access token identifying another device than the request body's
    And the device is connected with sms and supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 422
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.code" is "UNNECESSARY_IDENTIFIER"

  @reachability_v1_35_network_error
  Scenario: A network error that prevents the status from being retrieved is a 503
    Required by: CAMARA plan v1.0.0 @device_reachability_status_503_network_error
    Required by: OAS v1.0.0 #/components/responses/Generic503
    # Provider-only: needs the provider's test hook (provider.network_error_header).
    Given a valid testing device supported by the service, identified by the token or provided in the request body
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    And a network error prevents the device reachability status from being retrieved
    Then the response status code is 503
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 503
    And the response property "$.code" is "UNAVAILABLE"
    And the response property "$.message" contains a user friendly text indicating a temporary network error
