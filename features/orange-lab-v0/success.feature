@orange-lab-v0
Feature: Orange lab Device Reachability Status sandbox, v0 - Operation getReachabilityStatus: reachability states
  # Input to be provided by the implementation to the tester
  #
  # Implementation indications:
  # * Only phoneNumber is operational; the lab manages eleven numbers (+33699901031 to +33699901040, +33699901064)
  #
  # Testing assets (target file [devices]): data, sms, not_connected, data_and_sms
  #
  # References to OAS spec schemas refer to the harness's orange-lab-v0 schemas

  Background: Common getReachabilityStatus setup
    Given the resource "{api-root}/camara/orange-lab/device-reachability-status/v0/retrieve" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token
    And the header "x-correlator" is set to a UUID value
    And the request body is set by default to a request body compliant with the schema "#/components/schemas/RequestReachabilityStatus"

  @reachability_v0_01_connected_data
  Scenario: A device connected for DATA is CONNECTED_DATA
    Required by: Orange lab page §Request mobile equipment status (from phone number)
    Required by: Orange lab page §Fields description
    Required by: OAS v0.6.0 #/components/schemas/ReachabilityStatus
    Given the device has data connectivity and is supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response header "Content-Type" is "application/json"
    And the response body complies with the OAS schema at "#/components/schemas/ReachabilityStatusResponse"
    And the response property "$.reachabilityStatus" is "CONNECTED_DATA"
    And the response property "$.lastStatusTime" has a valid date-time format

  @reachability_v0_02_connected_sms
  Scenario: A device connected for SMS only is CONNECTED_SMS
    Required by: Orange lab page §Fields description
    Required by: OAS v0.6.0 #/components/schemas/ReachabilityStatus
    Given the device is connected with sms and supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response header "Content-Type" is "application/json"
    And the response body complies with the OAS schema at "#/components/schemas/ReachabilityStatusResponse"
    And the response property "$.reachabilityStatus" is "CONNECTED_SMS"
    And the response property "$.lastStatusTime" has a valid date-time format

  @reachability_v0_03_connected_data_and_sms @advisory
  Scenario: A device connected for DATA and SMS is CONNECTED_DATA
    Required by: Orange lab page §Fields description
    Required by: OAS v0.6.0 #/components/schemas/ReachabilityStatus
    Advisory: OAS v0.6.0 #/components/schemas/ReachabilityStatus defines CONNECTED_DATA as "connected to the network for Data usage" and CONNECTED_SMS as "connected to the network for SMS usage"; for a device connected for both, both are true and neither the OAS nor the Orange lab page (§Fields description) says which one to answer.
    Given the device has both data and sms connectivity, and is supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response body complies with the OAS schema at "#/components/schemas/ReachabilityStatusResponse"
    And the response property "$.reachabilityStatus" is "CONNECTED_DATA"

  @reachability_v0_04_not_connected
  Scenario: A device that is not connected is NOT_CONNECTED
    Required by: Orange lab page §Fields description
    Required by: OAS v0.6.0 #/components/schemas/ReachabilityStatus
    Given the device is supported by the service, but is not connected to the API provider's network
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response body complies with the OAS schema at "#/components/schemas/ReachabilityStatusResponse"
    And the response property "$.reachabilityStatus" is "NOT_CONNECTED"
    And the response property "$.lastStatusTime" has a valid date-time format

  @reachability_v0_05_lab_number
  Scenario Outline: Every lab number answers with a reachability status (<phone_number>)
    Required by: Orange lab page §Lab implementation specific:
    Required by: OAS v0.6.0 #/components/schemas/ReachabilityStatusResponse
    Given the request body property "$.device" is set to: {}
    And the request body property "$.device.phoneNumber" is set to "<phone_number>"
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response header "Content-Type" is "application/json"
    And the response body complies with the OAS schema at "#/components/schemas/ReachabilityStatusResponse"
    And the response property "$.reachabilityStatus" is "CONNECTED_DATA" or "CONNECTED_SMS" or "NOT_CONNECTED"

    Examples:
      | phone_number |
      | +33699901031 |
      | +33699901032 |
      | +33699901033 |
      | +33699901034 |
      | +33699901035 |
      | +33699901036 |
      | +33699901037 |
      | +33699901038 |
      | +33699901039 |
      | +33699901040 |
      | +33699901064 |

  @reachability_v0_06_correlator_echo @advisory
  Scenario: The x-correlator of the request is echoed
    Required by: OAS v0.6.0 #/paths/~1retrieve/post/responses/200/headers/x-correlator
    Advisory: OAS v0.6.0 declares an x-correlator response header (#/paths/~1retrieve/post/responses/200/headers/x-correlator) but does not say it echoes the request's, and the Orange lab page never mentions x-correlator.
    Given the device has data connectivity and is supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response header "x-correlator" has same value as the request header "x-correlator"

  @reachability_v0_07_no_correlator_sent
  Scenario: A request without x-correlator is answered normally
    Required by: OAS v0.6.0 #/components/parameters/x-correlator
    Required by: Orange lab page §Request mobile equipment status (from phone number)
    Given the header "x-correlator" is removed
    And the device has data connectivity and is supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response property "$.reachabilityStatus" is "CONNECTED_DATA"
