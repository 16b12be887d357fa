// Monthly-estimate prices, USD, On-Demand, by Region. Every number cites where it was read and
// that source's date; a price that could not be found is absent and the estimate says "partial".
// Refresh from AWS's public price list files: `npx tsx scripts/refresh-prices.ts us-east-1 eu-west-1`.
import type { PriceTable } from './prices.js';

export const PRICE_TABLE: PriceTable = {
  date: '2026-11-29',
  regions: {
    'us-east-1': {
      fargateVcpuHour: {
        usd: 0.04048,
        source:
          'https://www.factualminds.com/blog/amazon-fargate-ecs-task-pricing-2026/ ("Linux x86 at $0.04048/vCPU-hour … in us-east-1")',
        asOf: '2026-06-17',
      },
      fargateGbHour: {
        usd: 0.004445,
        source:
          'https://www.factualminds.com/blog/amazon-fargate-ecs-task-pricing-2026/ ("$0.004445/GB-hour in us-east-1")',
        asOf: '2026-06-17',
      },
      fargateArmVcpuHour: {
        usd: 0.03238,
        source: 'https://www.vantage.sh/blog/fargate-pricing (us-east-1 table, Linux/ARM per vCPU per hour)',
        asOf: '2026-11-29',
      },
      fargateArmGbHour: {
        usd: 0.00356,
        source: 'https://www.vantage.sh/blog/fargate-pricing (us-east-1 table, Linux/ARM per GB per hour)',
        asOf: '2026-11-29',
      },
      natGatewayHour: {
        usd: 0.045,
        source:
          'https://cloudburn.io/blog/aws-nat-gateway-pricing ("Hourly provisioning charges ($0.045/hour in US East)")',
        asOf: '2026-02-24',
      },
      natGatewayGb: {
        usd: 0.045,
        source: 'https://cloudburn.io/blog/aws-nat-gateway-pricing ("Data processing charges ($0.045/GB processed)")',
        asOf: '2026-02-24',
      },
      publicIpv4Hour: {
        usd: 0.005,
        source: 'https://cloudburn.io/blog/aws-nat-gateway-pricing ("Public IPv4 address costs ($0.005/hour per IP)")',
        asOf: '2026-02-24',
      },
      nlbHour: {
        usd: 0.0225,
        source: 'https://awsnegotiations.com/elastic-load-balancer-cost.html ("Network LB (NLB) | $0.0225 / hour")',
        asOf: '2026-05',
      },
      interfaceEndpointHour: {
        usd: 0.01,
        source:
          'https://knbrlo.com/notes/aws/nat-gateway-data-processing ("Interface Endpoints … $0.01/hour per endpoint per AZ")',
        asOf: '2026-05-07',
      },
      interfaceEndpointGb: {
        usd: 0.01,
        source: 'https://knbrlo.com/notes/aws/nat-gateway-data-processing ("plus $0.01/GB processed")',
        asOf: '2026-05-07',
      },
      apiGatewayMillionRequests: {
        usd: 3.5,
        source:
          'https://awsforengineers.com/blog/aws-api-gateway-pricing-explained ("REST APIs $3.50/million (first 333M)", US East)',
        asOf: '2025-05-19',
      },
      logsIngestionGb: {
        usd: 0.5,
        source:
          'https://c3x.dev/blog/cloudwatch-logs-cost-optimization ("us-east-1, June 2026 … Ingestion: $0.50 per GB")',
        asOf: '2026-06',
      },
      dynamoDbMillionWrites: {
        usd: 0.625,
        source:
          'https://airbyte.com/data-engineering-resources/dynamodb-pricing ("Write Request Units (WRU): $0.625 per million", US East)',
        asOf: '2025-07-21',
      },
      dynamoDbMillionReads: {
        usd: 0.125,
        source:
          'https://airbyte.com/data-engineering-resources/dynamodb-pricing ("Read Request Units (RRU): $0.125 per million", US East)',
        asOf: '2025-07-21',
      },
    },
    'eu-west-1': {
      fargateVcpuHour: {
        usd: 0.04048,
        source:
          'AWS price list (AmazonECS, eu-west-1): sku K4EXFQ5YFQCP98EN, usagetype EU-Fargate-vCPU-Hours:perCPU, $0.04048/hr, as quoted by a public pricing audit note ("AUDIT-10: Containers") found by code search',
        asOf: '2026-05-01',
      },
      fargateGbHour: {
        usd: 0.004445,
        source:
          'AWS price list (AmazonECS, eu-west-1): sku UP5ETC3QSW2QZGEY, usagetype EU-Fargate-GB-Hours, $0.004445/hr, as quoted by a public pricing audit note ("AUDIT-10: Containers") found by code search',
        asOf: '2026-05-01',
      },
      fargateArmVcpuHour: {
        usd: 0.03238,
        source:
          'AWS price list (AmazonECS, eu-west-1): sku KXC9CEUQGJQPNZPY, usagetype EU-Fargate-ARM-vCPU-Hours:perCPU, $0.03238/hr, as quoted by a public pricing audit note ("AUDIT-10: Containers") found by code search',
        asOf: '2026-05-01',
      },
      fargateArmGbHour: {
        usd: 0.00356,
        source:
          'AWS price list (AmazonECS, eu-west-1): sku MGJ5EB5GSHR8QZDF, usagetype EU-Fargate-ARM-GB-Hours, $0.00356/hr, as quoted by a public pricing audit note ("AUDIT-10: Containers") found by code search',
        asOf: '2026-05-01',
      },
    },
    'ap-southeast-1': {
      natGatewayHour: {
        usd: 0.059,
        source: 'https://basavytix.com/blog/aws-nat-gateway-pricing ("ap-southeast-1 (Singapore) is $0.059/hr")',
        asOf: '2026-11-29',
      },
      natGatewayGb: {
        usd: 0.059,
        source: 'https://basavytix.com/blog/aws-nat-gateway-pricing ("ap-southeast-1 (Singapore) is … $0.059/GB")',
        asOf: '2026-11-29',
      },
    },
    'ap-northeast-1': {
      logsIngestionGb: {
        usd: 0.76,
        source:
          'https://awsi.click/en/articles/cloudwatch-logs-cost-structure-surprise/ ("$0.76 per GB in ap-northeast-1")',
        asOf: '2026-11-29',
      },
    },
  },
};
