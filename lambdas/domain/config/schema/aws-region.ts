/** An AWS region's name: eu-central-1, us-gov-west-1, ap-southeast-5. */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
