@camara-v1
Feature: CAMARA Device Reachability Status API, v1 - Operation getReachabilityStatus: request validation
  # Every request that breaks the request schema is answered 400 INVALID_ARGUMENT, with an
  # x-correlator echo and a body that complies with the error schema.
  #
  # References to OAS spec schemas refer to schemas specified in device-reachability-status.yaml, v1.0.0

  Background: Common getReachabilityStatus setup
    Given the resource "{api-root}/device-reachability-status/v1/retrieve" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token
    And the header "x-correlator" is set to a UUID value
    And the request body is set by default to a request body compliant with the schema "#/components/schemas/RequestReachabilityStatus"

  @reachability_v1_20_malformed_phone_number
  Scenario Outline: A phone number that breaks the E.164 pattern is an invalid argument (<case>)
    Required by: CAMARA plan v1.0.0 @device_reachability_status_C01.02_device_identifiers_not_schema_compliant
    Required by: OAS v1.0.0 #/components/schemas/PhoneNumber
    Required by: OAS v1.0.0 #/components/responses/Generic400
    Given the request body property "$.device" is set to: {}
    And the request body property "$.device.phoneNumber" is set to "<phone_number>"
    When the request "getReachabilityStatus" is sent
    Then the response status code is 400
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 400
    And the response property "$.code" is "INVALID_ARGUMENT"
    And the response property "$.message" contains a user friendly text

    Examples:
      | case               | phone_number          |
      | missing plus       | 33699901031           |
      | too short          | +3369                 |
      | too long           | +3369990103112345678  |
      | a letter           | +33699A01031          |
      | leading zero       | +03699901031          |
      | spaces             | +33 6 99 90 10 31     |
      | empty              |                       |
      | double plus        | ++33699901031         |

  @reachability_v1_21_identifier_not_schema_compliant
  Scenario Outline: A device identifier that does not comply with its schema is an invalid argument (<device_identifier>)
    Required by: CAMARA plan v1.0.0 @device_reachability_status_C01.02_device_identifiers_not_schema_compliant
    Required by: OAS v1.0.0 #/components/schemas/Device
    Required by: OAS v1.0.0 #/components/responses/Generic400
    Given the header "Authorization" is set to a valid access token which does not identify a single device
    And the request body property "<device_identifier>" does not comply with the OAS schema at "<oas_spec_schema>"
    When the request "getReachabilityStatus" is sent
    Then the response status code is 400
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.status" is 400
    And the response property "$.code" is "INVALID_ARGUMENT"
    And the response property "$.message" contains a user friendly text

    # The official plan has one more row, `$.device.networkIdentifier` citing
    # NetworkAccessIdentifier: a typo for the networkAccessIdentifier row below. Device does
    # not set additionalProperties: false, so a server may ignore an unknown property, and
    # no row demands 400 for one.
    Examples:
      | device_identifier                | oas_spec_schema                             |
      | $.device.phoneNumber             | /components/schemas/PhoneNumber             |
      | $.device.ipv4Address             | /components/schemas/DeviceIpv4Addr          |
      | $.device.ipv6Address             | /components/schemas/DeviceIpv6Address       |
      | $.device.networkAccessIdentifier | /components/schemas/NetworkAccessIdentifier |

  @reachability_v1_22_malformed_ip_address
  Scenario Outline: A malformed IP address or port is an invalid argument (<case>)
    Required by: OAS v1.0.0 #/components/schemas/DeviceIpv4Addr
    Required by: OAS v1.0.0 #/components/schemas/Port
    Required by: OAS v1.0.0 #/components/schemas/DeviceIpv6Address
    Required by: OAS v1.0.0 #/components/responses/Generic400
    Required by: CAMARA API-Testing-Guidelines §Error scenarios
    Given the request body is set to:
      """
      <body>
      """
    When the request "getReachabilityStatus" is sent
    Then the response status code is 400
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.code" is "INVALID_ARGUMENT"

    Examples:
      | case                    | body                                                                          |
      | ipv4 out of range       | {"device": {"ipv4Address": {"publicAddress": "256.1.1.1", "publicPort": 80}}} |
      | ipv4 without port       | {"device": {"ipv4Address": {"publicAddress": "84.125.93.10"}}}                |
      | port above 65535        | {"device": {"ipv4Address": {"publicAddress": "84.125.93.10", "publicPort": 70000}}} |
      | port as text            | {"device": {"ipv4Address": {"publicAddress": "84.125.93.10", "publicPort": "80"}}}  |
      | ipv6 malformed          | {"device": {"ipv6Address": "2001:db8::85a3::7344"}}                           |

  @reachability_v1_23_wrong_json_types
  Scenario Outline: A body with wrong JSON types is an invalid argument (<case>)
    Required by: OAS v1.0.0 #/components/schemas/RequestReachabilityStatus
    Required by: OAS v1.0.0 #/components/responses/Generic400
    Required by: CAMARA API-Testing-Guidelines §Error scenarios
    Given the request body is set to:
      """
      <body>
      """
    When the request "getReachabilityStatus" is sent
    Then the response status code is 400
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.code" is "INVALID_ARGUMENT"

    Examples:
      | case                  | body                                  |
      | device as string      | {"device": "+33699901031"}            |
      | device as array       | {"device": [{"phoneNumber": "+33699901031"}]} |
      | phone number as number | {"device": {"phoneNumber": 33699901031}} |
      | body as array         | [{"device": {"phoneNumber": "+33699901031"}}] |

  @reachability_v1_24_invalid_json
  Scenario: A body that is not JSON is an invalid argument
    Required by: OAS v1.0.0 #/paths/~1retrieve/post/requestBody
    Required by: OAS v1.0.0 #/components/responses/Generic400
    Required by: CAMARA API-Testing-Guidelines §Error scenarios
    Given the request body is set to the raw text:
      """
      {"device": {"phoneNumber": "+33699901031"
      """
    When the request "getReachabilityStatus" is sent
    Then the response status code is 400
    And the response header "Content-Type" is "application/json"
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.code" is "INVALID_ARGUMENT"
    And the response property "$.message" contains a user friendly text

  @reachability_v1_25_invalid_correlator @advisory
  Scenario: An x-correlator that breaks its pattern is an invalid argument
    Required by: OAS v1.0.0 #/components/parameters/x-correlator
    Required by: OAS v1.0.0 #/components/responses/Generic400
    Advisory: OAS v1.0.0 #/components/parameters/x-correlator gives the header a pattern, but no document of the set says how a server answers a header that breaks it (API-Testing-Guidelines §Error scenarios asks for 400 tests of the request body only); 400 INVALID_ARGUMENT is the CAMARA convention, not a stated requirement.
    Given the header "x-correlator" is set to "not a valid correlator!"
    And the device has data connectivity and is supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 400
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.code" is "INVALID_ARGUMENT"
