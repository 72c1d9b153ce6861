// Partnership Funds in Azure: the web app (API and pages), the Functions app that runs the bids (Durable Task
// orchestrations, activities and the digest timer), their storage, monitoring and secrets. Both apps share one
// storage account and one task hub, and reach storage and Key Vault with their managed identities; no storage keys
// are handed out.

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('Short lower-case name that every resource name starts with.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'pfunds'

@description('Web app plan: always on, so a person opening a page never waits on a cold start.')
@allowed([
  'P0v3'
  'P1v3'
  'P2v3'
])
param webPlanSku string = 'P0v3'

@description('Most instances the Functions app (Flex Consumption) may scale out to while bids are busy.')
@minValue(1)
@maxValue(100)
param maximumWorkerInstances int = 20

@description('Prefix the apps use for their tables and container; the task hub is "<prefix>taskhub".')
param storagePrefix string = 'pf'

@description('The Teams app\'s id in the organisation\'s app catalogue (after uploading the package from scripts/teams-package). Empty: no Teams notifications.')
param teamsAppId string = ''

@description('The app registration granted Microsoft Graph\'s TeamsActivity.Send application permission; its secret goes in Key Vault as "teams-client-secret".')
param teamsClientId string = ''

@description('Staff sign-in: the application (client) id of the Entra ID app registration that declares the app roles in infra/entra/app-roles.json; its client secret goes in Key Vault as "entra-client-secret".')
@minLength(36)
param entraClientId string

@description('Tenant ids (council, NHS, police ...) whose people may sign in as staff; every other tenant is refused.')
@minLength(1)
param entraAllowedTenants array

@description('Address the partnership\'s email is sent from, and the domain SendGrid\'s inbound parse receives replies on. The SendGrid API key and the inbound secret go in Key Vault as "sendgrid-api-key" and "email-inbound-secret".')
param emailFromAddress string
param emailReplyDomain string

@description('Open data: the partnership\'s registered 360Giving prefix (like 360G-harrowpartnership), and the funder\'s org-id and name as its published grants name it.')
@minLength(6)
param openDataPrefix string
param openDataFunderId string
param openDataFunderName string

@description('SendGrid\'s verification key for its signed event webhook (base64, as SendGrid shows it once signing is switched on; a public key, not a secret). Empty: delivery events are refused until it is set.')
param emailWebhookPublicKey string = ''

@description('Address people reach the web app on, for links in email. Empty: the web app\'s azurewebsites.net address.')
param publicBaseUrl string = ''

var suffix = uniqueString(resourceGroup().id)
var webName = '${namePrefix}-web-${suffix}'
var baseUrl = empty(publicBaseUrl) ? 'https://${webName}.azurewebsites.net' : publicBaseUrl
var storageName = take('${namePrefix}${suffix}', 24)
var taskHub = '${storagePrefix}taskhub'
var deploymentContainer = 'worker-deployments'

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  sku: {
    name: 'Standard_ZRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 30
    }
    isVersioningEnabled: true
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-insights-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${namePrefix}-kv-${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

// Secrets stay in Key Vault; App Service resolves each reference with the app's managed identity.
func secret(vaultName string, name string) string => '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${name})'

// Settings both apps read: where the data is, the task hub they share, and the Teams app.
var sharedSettings = [
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
  { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
  { name: 'Storage__AccountName', value: storage.name }
  { name: 'Storage__Prefix', value: storagePrefix }
  { name: 'Engine__TaskHub', value: taskHub }
  { name: 'KeyVault__Uri', value: vault.properties.vaultUri }
  { name: 'Teams__TeamsAppId', value: teamsAppId }
  { name: 'Teams__TenantId', value: subscription().tenantId }
  { name: 'Teams__ClientId', value: teamsClientId }
  { name: 'Teams__ClientSecret', value: secret(vault.name, 'teams-client-secret') }
  { name: 'Decisions__SigningKey', value: secret(vault.name, 'decision-signing-key') }
  { name: 'Decisions__BaseUrl', value: baseUrl }
  { name: 'Email__SendGridApiKey', value: secret(vault.name, 'sendgrid-api-key') }
  { name: 'Email__InboundSecret', value: secret(vault.name, 'email-inbound-secret') }
  { name: 'Email__FromAddress', value: emailFromAddress }
  { name: 'Email__ReplyDomain', value: emailReplyDomain }
  { name: 'EmailWebhook__PublicKey', value: emailWebhookPublicKey }
  { name: 'OpenData__Prefix', value: openDataPrefix }
  { name: 'OpenData__FunderId', value: openDataFunderId }
  { name: 'OpenData__FunderName', value: openDataFunderName }
]

// Staff sign-in is the web app's alone: pages by OpenID Connect, the API by bearer tokens, one app registration.
var allowedTenantSettings = [for (tenant, i) in entraAllowedTenants: { name: 'AzureAd__AllowedTenants__${i}', value: tenant }]
var entraSettings = concat([
  { name: 'AzureAd__Instance', value: environment().authentication.loginEndpoint }
  { name: 'AzureAd__TenantId', value: 'organizations' }
  { name: 'AzureAd__ClientId', value: entraClientId }
  { name: 'AzureAd__ClientSecret', value: secret(vault.name, 'entra-client-secret') }
], allowedTenantSettings)

resource webPlan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${namePrefix}-web-plan-${suffix}'
  location: location
  kind: 'linux'
  sku: {
    name: webPlanSku
  }
  properties: {
    reserved: true
  }
}

// The ASP.NET Core app: every API route and page. Its engine sends commands to the task hub and runs no worker.
resource web 'Microsoft.Web/sites@2023-12-01' = {
  name: webName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: webPlan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      alwaysOn: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      healthCheckPath: '/health'
      appSettings: concat(sharedSettings, entraSettings, [
        { name: 'Engine__RunWorker', value: 'false' }
        { name: 'Schedule__RunHere', value: 'false' }
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
      ])
    }
  }
}

resource workerPlan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${namePrefix}-worker-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

// The isolated-worker Functions app: the bids' orchestrations and activities on the Durable extension, over the
// same task hub, and the digest's timer. Flex Consumption runs .NET 10 isolated and scales out with the bids' work.
resource worker 'Microsoft.Web/sites@2023-12-01' = {
  name: '${namePrefix}-worker-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: workerPlan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumWorkerInstances
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: concat(sharedSettings, [
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
      ])
    }
  }
}

// Each app's identity may read and write the data, the task hub's queues and tables, and read the secrets.
var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource webStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, web.id, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: web.identity.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource workerStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, worker.id, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: worker.identity.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource webSecretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, web.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: web.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource workerSecretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, worker.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: worker.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

output webAppName string = web.name
output webAppHostName string = web.properties.defaultHostName
output workerAppName string = worker.name
output taskHub string = taskHub
output storageAccountName string = storage.name
output keyVaultUri string = vault.properties.vaultUri
